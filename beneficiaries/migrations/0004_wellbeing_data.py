"""Ship the poverty line figures, the default well-being instrument and the rule row.

The poverty line figures are the minimum consumption expenditure announced by the
Statistics Agency (see docs/poverty-line.md: check them against the announcements).
"""

from decimal import Decimal

from django.db import migrations

POVERTY_LINES = [
    ("2022-01-01", "498000", "Statistics Agency: minimum consumption expenditure, 2022"),
    ("2023-07-18", "568000", "Statistics Agency: minimum consumption expenditure, July 2023"),
    ("2024-01-20", "621000", "Statistics Agency: minimum consumption expenditure, January 2024"),
    ("2024-05-01", "648000", "Statistics Agency: minimum consumption expenditure, May 2024"),
    ("2025-02-04", "669000", "Statistics Agency: minimum consumption expenditure, February 2025"),
    ("2026-01-01", "715000", "Statistics Agency: minimum consumption expenditure, 2026"),
]

# code, weight, proposal, (en, ru, uz), five levels of (en, ru, uz)
DOMAINS = [
    (
        "income", 2, "income",
        ("Income", "Доход", "Daromad"),
        [
            ("Per-capita income below half the poverty line", "Доход на человека ниже половины черты бедности", "Jon boshiga daromad kambagʻallik chegarasining yarmidan kam"),
            ("Per-capita income at half to 80% of the poverty line", "Доход на человека от половины до 80% черты бедности", "Jon boshiga daromad kambagʻallik chegarasining yarmidan 80% gacha"),
            ("Per-capita income just below the poverty line", "Доход на человека чуть ниже черты бедности", "Jon boshiga daromad kambagʻallik chegarasidan biroz past"),
            ("Per-capita income at or above the poverty line", "Доход на человека на уровне черты бедности или выше", "Jon boshiga daromad kambagʻallik chegarasida yoki undan yuqori"),
            ("Per-capita income well above the poverty line, with savings", "Доход на человека заметно выше черты бедности, есть сбережения", "Jon boshiga daromad chegaradan ancha yuqori, jamgʻarma bor"),
        ],
    ),
    (
        "employment", 2, "employment",
        ("Employment", "Занятость", "Bandlik"),
        [
            ("No adult earns", "Ни один взрослый не работает", "Hech bir katta yoshli ishlamaydi"),
            ("Occasional casual work", "Случайные подработки", "Vaqti-vaqti bilan tasodifiy ish"),
            ("Regular but insecure work", "Регулярная, но ненадёжная работа", "Muntazam, lekin beqaror ish"),
            ("Stable job or an operating business", "Стабильная работа или действующий бизнес", "Barqaror ish yoki faoliyat yuritayotgan biznes"),
            ("Stable work that covers the family, with prospects", "Стабильная работа обеспечивает семью, есть перспективы", "Barqaror ish oilani taʼminlaydi, istiqbol bor"),
        ],
    ),
    (
        "housing", 1, "",
        ("Housing", "Жильё", "Uy-joy"),
        [
            ("Homeless or at risk of eviction", "Без жилья или под угрозой выселения", "Uy-joysiz yoki koʻchirilish xavfi ostida"),
            ("Unsafe or overcrowded housing", "Небезопасное или перенаселённое жильё", "Xavfli yoki haddan tashqari gavjum uy-joy"),
            ("Basic housing with serious shortcomings", "Простое жильё с серьёзными недостатками", "Jiddiy kamchiliklari bor oddiy uy-joy"),
            ("Adequate and secure housing", "Достаточное и надёжное жильё", "Yetarli va xavfsiz uy-joy"),
            ("Good housing, secure tenure", "Хорошее жильё, права на него закреплены", "Yaxshi uy-joy, egalik huquqi mustahkam"),
        ],
    ),
    (
        "food", 1, "",
        ("Food security", "Продовольственная безопасность", "Oziq-ovqat xavfsizligi"),
        [
            ("Children go hungry", "Дети голодают", "Bolalar och qoladi"),
            ("Meals often skipped", "Часто пропускают приёмы пищи", "Tez-tez ovqatlanmay qolishadi"),
            ("Enough food, little variety", "Еды достаточно, но она однообразна", "Ovqat yetarli, lekin bir xil"),
            ("Regular, varied meals", "Регулярное и разнообразное питание", "Muntazam va xilma-xil ovqatlanish"),
            ("Food secure with reserves", "Питание обеспечено, есть запасы", "Oziq-ovqat taʼminlangan, zaxira bor"),
        ],
    ),
    (
        "health", 1, "",
        ("Health", "Здоровье", "Sogʻliq"),
        [
            ("Serious untreated illness", "Серьёзная болезнь без лечения", "Davolanmayotgan ogʻir kasallik"),
            ("Health problems limit daily life", "Проблемы со здоровьем мешают жизни", "Sogʻliq muammolari kundalik hayotga toʻsqinlik qiladi"),
            ("Health needs partly met", "Потребности в лечении удовлетворены частично", "Sogʻliq ehtiyojlari qisman qondirilgan"),
            ("Health needs met, regular check-ups", "Потребности в лечении удовлетворены, регулярные осмотры", "Sogʻliq ehtiyojlari qondirilgan, muntazam koʻrik"),
            ("Good health, prevention practised", "Хорошее здоровье, профилактика", "Sogʻliq yaxshi, profilaktika qilinadi"),
        ],
    ),
    (
        "education", 1, "",
        ("Children's education", "Образование детей", "Bolalar taʼlimi"),
        [
            ("School-age children out of school", "Дети школьного возраста не учатся", "Maktab yoshidagi bolalar oʻqimaydi"),
            ("Irregular attendance", "Нерегулярное посещение", "Darsga muntazam qatnashmaydi"),
            ("Attending, with difficulties", "Посещают, но с трудностями", "Qatnashadi, lekin qiyinchiliklar bor"),
            ("Attending regularly", "Посещают регулярно", "Muntazam qatnashadi"),
            ("Attending and progressing well", "Посещают и хорошо успевают", "Qatnashadi va yaxshi oʻzlashtiradi"),
        ],
    ),
    (
        "protection", 1, "",
        ("Child care and protection", "Уход за детьми и защита", "Bolalarni parvarish qilish va himoya"),
        [
            ("Child at risk of separation or harm", "Ребёнок под угрозой разлучения или вреда", "Bola ajralish yoki zarar xavfi ostida"),
            ("Care is often inadequate", "Уход часто недостаточен", "Parvarish koʻpincha yetarli emas"),
            ("Basic care, some concerns", "Базовый уход, есть опасения", "Asosiy parvarish, baʼzi xavotirlar bor"),
            ("Safe and adequate care", "Безопасный и достаточный уход", "Xavfsiz va yetarli parvarish"),
            ("Nurturing, safe care", "Заботливый и безопасный уход", "Mehribon va xavfsiz parvarish"),
        ],
    ),
    (
        "relations", 1, "",
        ("Family relations and psychosocial", "Отношения в семье и психосоциальное состояние", "Oilaviy munosabatlar va psixosotsial holat"),
        [
            ("Violence or severe conflict", "Насилие или тяжёлый конфликт", "Zoʻravonlik yoki ogʻir nizo"),
            ("Frequent conflict, high stress", "Частые конфликты, сильный стресс", "Tez-tez nizolar, kuchli stress"),
            ("Some conflict, coping", "Есть конфликты, семья справляется", "Baʼzi nizolar bor, oila uddalaydi"),
            ("Supportive relations", "Поддерживающие отношения", "Bir-birini qoʻllab-quvvatlovchi munosabatlar"),
            ("Strong, resilient family", "Сильная, устойчивая семья", "Mustahkam, bardoshli oila"),
        ],
    ),
    (
        "participation", 1, "",
        ("Social participation", "Участие в жизни общества", "Ijtimoiy ishtirok"),
        [
            ("Isolated, no documents or support", "Изоляция, нет документов и поддержки", "Yakkalangan, hujjatlar va yordam yoʻq"),
            ("Little contact with the makhalla", "Мало связей с махаллей", "Mahalla bilan aloqa kam"),
            ("Some contact and support", "Есть связи и поддержка", "Baʼzi aloqalar va yordam bor"),
            ("Takes part in the makhalla's life", "Участвует в жизни махалли", "Mahalla hayotida ishtirok etadi"),
            ("Active and helps others", "Активна и помогает другим", "Faol va boshqalarga yordam beradi"),
        ],
    ),
    (
        "skills", 1, "",
        ("Skills", "Навыки", "Koʻnikmalar"),
        [
            ("No marketable skills", "Нет востребованных навыков", "Talab qilinadigan koʻnikmalar yoʻq"),
            ("Basic skills only", "Только базовые навыки", "Faqat oddiy koʻnikmalar"),
            ("Training under way", "Проходит обучение", "Taʼlim olmoqda"),
            ("Has a trade or qualification", "Есть профессия или квалификация", "Kasbi yoki malakasi bor"),
            ("Qualified and keeps learning", "Квалифицирован и продолжает учиться", "Malakali va oʻrganishda davom etadi"),
        ],
    ),
]  # fmt: skip


def ship(apps, schema_editor):
    PovertyLine = apps.get_model("beneficiaries", "PovertyLine")
    Domain = apps.get_model("beneficiaries", "Domain")
    DomainLevel = apps.get_model("beneficiaries", "DomainLevel")
    WellbeingRule = apps.get_model("beneficiaries", "WellbeingRule")
    for valid_from, amount, source in POVERTY_LINES:
        PovertyLine.objects.get_or_create(
            valid_from=valid_from, defaults={"amount": Decimal(amount), "source": source}
        )
    for position, (code, weight, proposal, names, levels) in enumerate(DOMAINS, start=1):
        domain, _created = Domain.objects.get_or_create(
            code=code,
            defaults={
                "name_en": names[0],
                "name_ru": names[1],
                "name_uz": names[2],
                "position": position,
                "weight": weight,
                "proposal": proposal,
            },
        )
        for level, (en, ru, uz) in enumerate(levels, start=1):
            DomainLevel.objects.get_or_create(
                domain=domain,
                level=level,
                defaults={"description_en": en, "description_ru": ru, "description_uz": uz},
            )
    WellbeingRule.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0003_wellbeing")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
