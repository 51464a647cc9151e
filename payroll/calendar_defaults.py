"""Uzbekistan's public holidays payroll ships with, for 2025, 2026 and 2027.

Loaded by migration 0003 and kept afterwards by superusers in the admin
(`/admin/payroll/publicholiday/`). The fixed holidays are the Labour Code's; the Islamic
holidays move with the lunar calendar and are announced every year (2027's are estimates),
and transfers of days off are decided every year: an accountant or the programme's office
must check each year's list against the government's announcement (see docs/payroll.md).
"""

from datetime import date

from payroll.choices import CalendarDayKind

LABOUR_CODE = (
    "Labour Code of the Republic of Uzbekistan (Law ZRU-798 of 28.10.2022, in force "
    "30.04.2023), article on public holidays — article number to be confirmed"
)
ANNOUNCED = "Date set every year by the government's announcement — to be confirmed."

FIXED = [
    # month, day, English, Russian, Uzbek
    (1, 1, "New Year", "Новый год", "Yangi yil"),
    (3, 8, "International Women's Day", "Международный женский день", "Xalqaro xotin-qizlar kuni"),
    (3, 21, "Navruz", "Навруз", "Navroʻz bayrami"),
    (5, 9, "Day of Remembrance and Honour", "День памяти и почестей", "Xotira va qadrlash kuni"),
    (9, 1, "Independence Day", "День независимости", "Mustaqillik kuni"),
    (
        10,
        1,
        "Teachers' and Mentors' Day",
        "День учителя и наставника",
        "Oʻqituvchi va murabbiylar kuni",
    ),
    (12, 8, "Constitution Day", "День Конституции", "Konstitutsiya kuni"),
]

RAMAZON = ("Ramazon Hayit (Eid al-Fitr)", "Рамазан хайит", "Ramazon hayit")
QURBON = ("Qurbon Hayit (Eid al-Adha)", "Курбан хайит", "Qurbon hayit")
NEW_YEARS_EVE = (
    "Day off before the New Year",
    "Выходной день перед Новым годом",
    "Yangi yil arafasidagi dam olish kuni",
)

MOVING = {
    2025: {"ramazon": date(2025, 3, 30), "qurbon": date(2025, 6, 6)},
    2026: {"ramazon": date(2026, 3, 20), "qurbon": date(2026, 5, 27)},
    2027: {"ramazon": date(2027, 3, 10), "qurbon": date(2027, 5, 16)},
}
ESTIMATED_YEARS = {2027}

YEARS = sorted(MOVING)


def default_holidays() -> list[dict]:
    """The rows the migration loads, as field values."""
    rows = []
    for year in YEARS:
        for month, day, en, ru, uz in FIXED:
            rows.append(
                {
                    "day": date(year, month, day),
                    "kind": CalendarDayKind.HOLIDAY,
                    "name_en": en,
                    "name_ru": ru,
                    "name_uz": uz,
                    "announced_yearly": False,
                    "source": LABOUR_CODE,
                    "notes": "",
                }
            )
        for key, names in (("ramazon", RAMAZON), ("qurbon", QURBON)):
            notes = ANNOUNCED
            if year in ESTIMATED_YEARS:
                notes += " Estimated from the lunar calendar: replace with the announced date."
            rows.append(
                {
                    "day": MOVING[year][key],
                    "kind": CalendarDayKind.HOLIDAY,
                    "name_en": names[0],
                    "name_ru": names[1],
                    "name_uz": names[2],
                    "announced_yearly": True,
                    "source": LABOUR_CODE,
                    "notes": notes,
                }
            )
        rows.append(
            {
                "day": date(year, 12, 31),
                "kind": CalendarDayKind.DAY_OFF,
                "name_en": NEW_YEARS_EVE[0],
                "name_ru": NEW_YEARS_EVE[1],
                "name_uz": NEW_YEARS_EVE[2],
                "announced_yearly": True,
                "source": "Government decision on the year's days off — to be confirmed",
                "notes": "Not in the Labour Code's list: declared a day off year by year. "
                + ANNOUNCED,
            }
        )
    return sorted(rows, key=lambda row: row["day"])


def load_default_holidays(holiday_model) -> int:
    """Add the default days that are missing (by date); returns how many were added.

    Used by migration 0003 (with the historical model) and by tests after a flush.
    """
    added = 0
    for row in default_holidays():
        day = row.pop("day")
        _holiday, created = holiday_model.objects.get_or_create(day=day, defaults=row)
        added += created
    return added
