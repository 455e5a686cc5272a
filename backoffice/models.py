"""No tables: the back office reads the other apps' (customers are ``accounts.Customer``).

The module exists so that Django sends this app, the last one, ``post_migrate``: the staff
groups and the Chinese permission names are set on its turn, when every permission exists.
"""
