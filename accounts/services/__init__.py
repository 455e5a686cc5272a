"""Writes of accounts, one module a section of the seed: customers (looking them up by mobile),
sessions, sms_codes, passwords, feedback, verification, personal_info."""
