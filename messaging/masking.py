def mask_mobile(mobile: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}****{mobile[-4:]}"
