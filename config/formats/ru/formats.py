# Russian, as the programme writes it (config/formats/en/formats.py says why these names).
DATE_FORMAT = "j E Y г."  # 3 марта 2025 г.
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y г."  # Март 2025 г.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
