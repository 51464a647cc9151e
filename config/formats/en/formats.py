# The programme works in Uzbekistan: dates read dd.mm.yyyy in English too, as in uz and ru.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
