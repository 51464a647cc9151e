"""A person's name as a match key: the same for the spellings of one name in Uzbek Latin,
Uzbek Cyrillic and Russian, different for different names.

`match_key("Каримова Дилноза") == match_key("Karimova Dilnoza") == match_key("dilnoza
karimova")`, and `match_key("Karimova Dilfuza")` differs. The key is stored on each person
(`Person.name_key`); two people with the same key and the same birth date are possible
duplicates (beneficiaries.duplicates). Nothing is fuzzy beyond the steps below, so a one-letter
difference between two real names (Dilnoza, Dilfuza) stays a difference.

The steps, in order:

1. Lower case; the apostrophe's many forms (ʻ ʼ ’ ‘ ` ´) are one.
2. Cyrillic letters (Uzbek and Russian) become Latin letters, one by one, so a word typed
   in both scripts at once (Latin "Karim" with a Cyrillic "о") reads as one script:
   ш sh, ч ch, ж j, ё yo, ю yu, я ya, х x, ҳ h, қ q, ғ g', ў o', ц ts, ы i, ъ and ь nothing.
3. Spellings that differ between the Uzbek and the Russian habit, or between careful and
   quick typing, are made one: o' and g' lose the apostrophe; dzh, dj and zh are j; kh and x
   are h (Mukhammad, Muxammad, Muhammad); q is k; ye is e (Yelena, Elena); y is i
   (Ilyos, Iliyos); every other apostrophe and hyphen goes; a doubled letter is single
   (Muhammad, Muhamad).
4. The words are sorted, so the order (surname first or last) does not matter.
5. A patronymic is left out when at least two other words remain: a word ending in -ovna,
   -evna, -ovich or -evich, or "qizi"/"o'g'li" ("kizi", "ugli") with the father's name
   before it. One register writes it and another does not.

Feminine and masculine surnames stay apart (Karimova is not Karimov).
"""

import re
import unicodedata

MAX_LENGTH = 255  # Person.name_key
APOSTROPHES = str.maketrans(dict.fromkeys("ʻʼ’‘`´ʹ′", "'"))

CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g'",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "ў": "o'",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "x",
    "ҳ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
}
CYRILLIC_TABLE = str.maketrans(CYRILLIC)

# (pattern, replacement), applied in this order to the Latin text.
VARIANTS = [
    (re.compile(r"([og])'"), r"\1"),
    (re.compile(r"dzh|dj|zh"), "j"),
    (re.compile(r"kh|x"), "h"),
    (re.compile(r"q"), "k"),
    (re.compile(r"ye"), "e"),
    (re.compile(r"y"), "i"),
    (re.compile(r"['\-]"), ""),
    (re.compile(r"([a-z])\1+"), r"\1"),
]
PATRONYMIC_ENDINGS = ("ovna", "evna", "ovich", "evich")
# "qizi" (daughter of) and "o'g'li" (son of) once the variants are made one.
PATRONYMIC_MARKERS = {"kizi", "ogli", "ugli", "kiz"}


def latin(text: str) -> str:
    """The text in lower-case Latin letters, Cyrillic letters transliterated."""
    text = unicodedata.normalize("NFC", text).casefold().translate(APOSTROPHES)
    return text.translate(CYRILLIC_TABLE)


def word_key(word: str) -> str:
    """One word with the spelling variants made one (steps 1 to 3)."""
    word = latin(word)
    for pattern, replacement in VARIANTS:
        word = pattern.sub(replacement, word)
    return "".join(ch for ch in word if ch.isalnum())


def _without_patronymic(words: list[str]) -> list[str]:
    kept = list(words)
    for index, word in enumerate(words):
        if word in PATRONYMIC_MARKERS and index > 0:
            kept = words[: index - 1] + words[index + 1 :]
            break
        if word.endswith(PATRONYMIC_ENDINGS):
            kept = words[:index] + words[index + 1 :]
            break
    return kept if len(kept) >= 2 else words


def match_key(full_name: str) -> str:
    """The name's match key: its words' keys, patronymic left out, sorted, space-separated."""
    words = [key for key in (word_key(word) for word in full_name.split()) if key]
    return " ".join(sorted(_without_patronymic(words)))[:MAX_LENGTH]
