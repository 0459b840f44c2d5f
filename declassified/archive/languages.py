"""Names for ISO 639 language codes the archive meets most."""

COMMON_LANGUAGES = {
    "en": "English", "ru": "Russian", "zh": "Chinese", "de": "German", "fr": "French",
    "es": "Spanish", "it": "Italian", "pl": "Polish", "ro": "Romanian", "cs": "Czech",
    "hu": "Hungarian", "bg": "Bulgarian", "vi": "Vietnamese", "ko": "Korean", "ja": "Japanese",
    "sq": "Albanian", "mn": "Mongolian", "ar": "Arabic", "fa": "Persian", "pt": "Portuguese",
    "sr": "Serbian", "hr": "Croatian", "uk": "Ukrainian", "he": "Hebrew", "tr": "Turkish",
    "hi": "Hindi", "la": "Latin", "nl": "Dutch", "sv": "Swedish", "fi": "Finnish",
}


def language_name(code: str) -> str:
    return COMMON_LANGUAGES.get(code.lower(), code)


def is_language_code(code: str) -> bool:
    """ISO 639-1 (two letters) or 639-2/3 (three letters), optionally with a region/script."""
    base = code.split("-")[0]
    return base.isascii() and base.isalpha() and len(base) in (2, 3)
