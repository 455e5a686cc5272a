"""Response codes shared by every endpoint (CONTRACT §2, §4).

Endpoint-specific codes live next to their app (``accounts/codes.py``...). The code, not the
message, is the contract with the app; messages are for people.
"""

SUCCESS_FLAG = "0000"
FAILURE_FLAG = "9999"

OK = "0000"
MALFORMED_REQUEST = "10001000"
BAD_SIGNATURE = "90100001"
STALE_TIMESTAMP = "90100002"
REPLAYED_REQUEST = "90100003"
NOT_LOGGED_IN = "90004000"
RATE_LIMITED = "90005000"
UNKNOWN_PATH = "90004004"
SERVER_FAULT = "9999"
