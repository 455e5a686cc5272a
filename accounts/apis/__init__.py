"""API views of accounts (seed §4, §7–§19, §30–§35), one module a section: sessions,
sms_codes, passwords, app (feedback, versions), verification, personal_info."""
