# The programme works in Uzbekistan: dates read dd.mm.yyyy in English too, as in uz and ru.
# Dates on screen and in PDFs go through these names (|date:"SHORT_DATE_FORMAT", date_format),
# never a format written into a template or a string; CSV and XLSX keep ISO or real dates.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
