# Uzbek (Latin), as the programme writes it (config/formats/en/formats.py says why these names).
DATE_FORMAT = r"j-E, Y-\y\i\l"  # 3-mart, 2025-yil
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = r"F Y-\y\i\l"  # Mart 2025-yil
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
