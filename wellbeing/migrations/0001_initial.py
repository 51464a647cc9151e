
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


MODELS = ['domain', 'povertyline', 'assessment', 'domainlevel', 'familyscore', 'historicalassessment', 'historicalassessment_children_out_of_school', 'historicaldomain', 'historicaldomainlevel', 'historicalpovertyline', 'historicalrating', 'historicalwellbeingrule', 'rating', 'wellbeingrule']


def _relabel(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=target, model__in=MODELS).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=source, model__in=set(MODELS) - taken).update(
        app_label=target
    )


def move_content_types(apps, schema_editor):
    _relabel(apps, "beneficiaries", "wellbeing")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "wellbeing", "beneficiaries")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('beneficiaries', '0012_wellbeing_leaves_the_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The models, their data and their history come over from beneficiaries (its 0012):
    # first this app's state over the core's tables, then the tables take this app's names
    # (an auto-created many-to-many table follows its model), then the content types, so
    # permissions, admin log entries and roles keep pointing at the same rows.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Domain',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                        ('name_en', models.CharField(max_length=100, verbose_name='name (English)')),
                        ('name_ru', models.CharField(max_length=100, verbose_name='name (Russian)')),
                        ('name_uz', models.CharField(max_length=100, verbose_name='name (Uzbek)')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('weight', models.PositiveSmallIntegerField(default=1, help_text='Share of this domain in the well-being score, relative to the others.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='weight')),
                        ('proposal', models.CharField(blank=True, choices=[('', 'None: the caseworker rates it'), ('income', 'From per-capita income against the poverty line'), ('employment', 'From stable work or an operating business')], default='', max_length=20, verbose_name='level proposed from data')),
                        ('is_active', models.BooleanField(default=True, verbose_name='in use')),
                    ],
                    options={
                        'db_table': 'beneficiaries_domain',
                        'verbose_name': 'well-being domain',
                        'verbose_name_plural': 'well-being domains',
                        'ordering': ['position', 'code'],
                    },
                ),
                migrations.CreateModel(
                    name='PovertyLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('valid_from', models.DateField(unique=True, verbose_name='in force from')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('1'))], verbose_name='amount per person per month (UZS)')),
                        ('source', models.CharField(blank=True, help_text='The announcement this figure comes from.', max_length=255, verbose_name='source')),
                    ],
                    options={
                        'db_table': 'beneficiaries_povertyline',
                        'verbose_name': 'poverty line',
                        'verbose_name_plural': 'poverty lines',
                        'ordering': ['-valid_from'],
                    },
                ),
                migrations.CreateModel(
                    name='Assessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(default=django.utils.timezone.localdate, verbose_name='date')),
                        ('kind', models.CharField(choices=[('intake', 'Intake'), ('six_monthly', 'Six-monthly'), ('exit', 'Exit'), ('follow_up', 'Follow-up after exit')], max_length=12, verbose_name='kind')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('children_out_of_school', models.ManyToManyField(blank=True, related_name='+', to='beneficiaries.person', verbose_name='school-age children not in school')),
                        ('family', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='beneficiaries.family', verbose_name='family')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'db_table': 'beneficiaries_assessment',
                        'verbose_name': 'well-being assessment',
                        'verbose_name_plural': 'well-being assessments',
                        'ordering': ['-date', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='DomainLevel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='level')),
                        ('description_en', models.CharField(max_length=255, verbose_name='description (English)')),
                        ('description_ru', models.CharField(max_length=255, verbose_name='description (Russian)')),
                        ('description_uz', models.CharField(max_length=255, verbose_name='description (Uzbek)')),
                        ('domain', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='levels', to='wellbeing.domain', verbose_name='domain')),
                    ],
                    options={
                        'db_table': 'beneficiaries_domainlevel',
                        'verbose_name': 'domain level',
                        'verbose_name_plural': 'domain levels',
                        'ordering': ['domain__position', 'level'],
                    },
                ),
                migrations.CreateModel(
                    name='FamilyScore',
                    fields=[
                        ('family', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='score', serialize=False, to='beneficiaries.family', verbose_name='family')),
                        ('assessed_on', models.DateField(blank=True, null=True, verbose_name='assessed on')),
                        ('score', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='score')),
                        ('previous_score', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='previous score')),
                        ('light', models.CharField(blank=True, choices=[('green', 'Green'), ('amber', 'Amber'), ('red', 'Red')], max_length=5, verbose_name='traffic light')),
                        ('trend', models.CharField(blank=True, choices=[('up', 'Improving'), ('flat', 'Steady'), ('down', 'Worsening')], max_length=4, verbose_name='trend')),
                        ('lowest_level', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='lowest domain level')),
                        ('children_out_of_school', models.PositiveSmallIntegerField(default=0, verbose_name='school-age children not in school')),
                        ('months_at_or_above_line', models.PositiveSmallIntegerField(default=0, verbose_name='recent months at or above the poverty line')),
                        ('last_month', models.DateField(blank=True, null=True, verbose_name='last full month')),
                        ('last_per_capita', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="last month's per-capita income")),
                        ('income_ok', models.BooleanField(default=False, verbose_name='income at or above the line')),
                        ('domains_ok', models.BooleanField(default=False, verbose_name='no domain below the minimum')),
                        ('school_ok', models.BooleanField(default=False, verbose_name='school-age children in school')),
                        ('exit_ready', models.BooleanField(default=False, verbose_name='ready to exit')),
                        ('exit_score', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='score at exit')),
                        ('falling_back', models.BooleanField(default=False, verbose_name='falling back after exit')),
                        ('next_due', models.DateField(blank=True, null=True, verbose_name='next assessment due')),
                        ('computed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='computed')),
                        ('assessment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wellbeing.assessment', verbose_name='latest assessment')),
                    ],
                    options={
                        'db_table': 'beneficiaries_familyscore',
                        'verbose_name': 'family well-being score',
                        'verbose_name_plural': 'family well-being scores',
                        'ordering': ['family_id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAssessment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('date', models.DateField(default=django.utils.timezone.localdate, verbose_name='date')),
                        ('kind', models.CharField(choices=[('intake', 'Intake'), ('six_monthly', 'Six-monthly'), ('exit', 'Exit'), ('follow_up', 'Follow-up after exit')], max_length=12, verbose_name='kind')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('family', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='beneficiaries.family', verbose_name='family')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'db_table': 'beneficiaries_historicalassessment',
                        'verbose_name': 'historical well-being assessment',
                        'verbose_name_plural': 'historical well-being assessments',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalAssessment_children_out_of_school',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('assessment', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='wellbeing.assessment')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='wellbeing.historicalassessment')),
                        ('person', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='beneficiaries.person')),
                    ],
                    options={
                        'db_table': 'beneficiaries_historicalassessment_children_out_of_school',
                        'verbose_name': 'HistoricalAssessment_children_out_of_school',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalDomain',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, verbose_name='code')),
                        ('name_en', models.CharField(max_length=100, verbose_name='name (English)')),
                        ('name_ru', models.CharField(max_length=100, verbose_name='name (Russian)')),
                        ('name_uz', models.CharField(max_length=100, verbose_name='name (Uzbek)')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('weight', models.PositiveSmallIntegerField(default=1, help_text='Share of this domain in the well-being score, relative to the others.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='weight')),
                        ('proposal', models.CharField(blank=True, choices=[('', 'None: the caseworker rates it'), ('income', 'From per-capita income against the poverty line'), ('employment', 'From stable work or an operating business')], default='', max_length=20, verbose_name='level proposed from data')),
                        ('is_active', models.BooleanField(default=True, verbose_name='in use')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'beneficiaries_historicaldomain',
                        'verbose_name': 'historical well-being domain',
                        'verbose_name_plural': 'historical well-being domains',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalDomainLevel',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('level', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='level')),
                        ('description_en', models.CharField(max_length=255, verbose_name='description (English)')),
                        ('description_ru', models.CharField(max_length=255, verbose_name='description (Russian)')),
                        ('description_uz', models.CharField(max_length=255, verbose_name='description (Uzbek)')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('domain', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='wellbeing.domain', verbose_name='domain')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'beneficiaries_historicaldomainlevel',
                        'verbose_name': 'historical domain level',
                        'verbose_name_plural': 'historical domain levels',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalPovertyLine',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('valid_from', models.DateField(db_index=True, verbose_name='in force from')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('1'))], verbose_name='amount per person per month (UZS)')),
                        ('source', models.CharField(blank=True, help_text='The announcement this figure comes from.', max_length=255, verbose_name='source')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'beneficiaries_historicalpovertyline',
                        'verbose_name': 'historical poverty line',
                        'verbose_name_plural': 'historical poverty lines',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalRating',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('level', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='level')),
                        ('proposed_level', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='proposed level')),
                        ('override_reason', models.CharField(blank=True, help_text='Required when the level differs from the one the data proposes.', max_length=255, verbose_name='reason for a different level')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('assessment', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='wellbeing.assessment', verbose_name='assessment')),
                        ('domain', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='wellbeing.domain', verbose_name='domain')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'beneficiaries_historicalrating',
                        'verbose_name': 'historical domain rating',
                        'verbose_name_plural': 'historical domain ratings',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalWellbeingRule',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('green_from', models.PositiveSmallIntegerField(default=70, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='green from score')),
                        ('amber_from', models.PositiveSmallIntegerField(default=50, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='amber from score')),
                        ('income_months', models.PositiveSmallIntegerField(default=6, help_text='Consecutive full months, up to the last one, needed to leave the service.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(24)], verbose_name='months of income at or above the poverty line')),
                        ('min_domain_level', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='lowest level allowed in any domain')),
                        ('require_school', models.BooleanField(default=True, verbose_name='every school-age child in school')),
                        ('school_age_from', models.PositiveSmallIntegerField(default=7, verbose_name='school age from (years)')),
                        ('school_age_to', models.PositiveSmallIntegerField(default=17, verbose_name='school age to (years)')),
                        ('assessment_interval_months', models.PositiveSmallIntegerField(default=6, validators=[django.core.validators.MinValueValidator(1)], verbose_name='months between assessments')),
                        ('follow_up_months', models.CharField(default='6,12', help_text='Months after exit at which a follow-up assessment is due, e.g. 6,12.', max_length=50, verbose_name='follow-ups after exit (months)')),
                        ('fall_back_points', models.PositiveSmallIntegerField(default=10, help_text='A follow-up this many points below the exit score flags the family.', verbose_name='fall-back drop (score points)')),
                        ('due_soon_days', models.PositiveSmallIntegerField(default=30, help_text='Assessments due within this many days show on the dashboard.', verbose_name='due soon (days)')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'beneficiaries_historicalwellbeingrule',
                        'verbose_name': 'historical well-being rule',
                        'verbose_name_plural': 'historical well-being rules',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Rating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='level')),
                        ('proposed_level', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='proposed level')),
                        ('override_reason', models.CharField(blank=True, help_text='Required when the level differs from the one the data proposes.', max_length=255, verbose_name='reason for a different level')),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='wellbeing.assessment', verbose_name='assessment')),
                        ('domain', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ratings', to='wellbeing.domain', verbose_name='domain')),
                    ],
                    options={
                        'db_table': 'beneficiaries_rating',
                        'verbose_name': 'domain rating',
                        'verbose_name_plural': 'domain ratings',
                        'ordering': ['assessment_id', 'domain__position'],
                    },
                ),
                migrations.CreateModel(
                    name='WellbeingRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('green_from', models.PositiveSmallIntegerField(default=70, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='green from score')),
                        ('amber_from', models.PositiveSmallIntegerField(default=50, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='amber from score')),
                        ('income_months', models.PositiveSmallIntegerField(default=6, help_text='Consecutive full months, up to the last one, needed to leave the service.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(24)], verbose_name='months of income at or above the poverty line')),
                        ('min_domain_level', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='lowest level allowed in any domain')),
                        ('require_school', models.BooleanField(default=True, verbose_name='every school-age child in school')),
                        ('school_age_from', models.PositiveSmallIntegerField(default=7, verbose_name='school age from (years)')),
                        ('school_age_to', models.PositiveSmallIntegerField(default=17, verbose_name='school age to (years)')),
                        ('assessment_interval_months', models.PositiveSmallIntegerField(default=6, validators=[django.core.validators.MinValueValidator(1)], verbose_name='months between assessments')),
                        ('follow_up_months', models.CharField(default='6,12', help_text='Months after exit at which a follow-up assessment is due, e.g. 6,12.', max_length=50, verbose_name='follow-ups after exit (months)')),
                        ('fall_back_points', models.PositiveSmallIntegerField(default=10, help_text='A follow-up this many points below the exit score flags the family.', verbose_name='fall-back drop (score points)')),
                        ('due_soon_days', models.PositiveSmallIntegerField(default=30, help_text='Assessments due within this many days show on the dashboard.', verbose_name='due soon (days)')),
                    ],
                    options={
                        'db_table': 'beneficiaries_wellbeingrule',
                        'verbose_name': 'well-being rule',
                        'verbose_name_plural': 'well-being rules',
                        'constraints': [models.CheckConstraint(condition=models.Q(('green_from__gt', models.F('amber_from'))), name='green_above_amber', violation_error_message='Green must start above amber.')],
                    },
                ),
                migrations.AddIndex(
                    model_name='assessment',
                    index=models.Index(fields=['family', 'date'], name='beneficiari_family__776673_idx'),
                ),
                migrations.AddConstraint(
                    model_name='domainlevel',
                    constraint=models.UniqueConstraint(fields=('domain', 'level'), name='unique_level_per_domain', violation_error_message='This domain already describes that level.'),
                ),
                migrations.AddConstraint(
                    model_name='domainlevel',
                    constraint=models.CheckConstraint(condition=models.Q(('level__gte', 1), ('level__lte', 5)), name='domain_level_1_to_5', violation_error_message='Levels run from 1 to 5.'),
                ),
                migrations.AddIndex(
                    model_name='familyscore',
                    index=models.Index(fields=['light'], name='beneficiari_light_abc27f_idx'),
                ),
                migrations.AddIndex(
                    model_name='familyscore',
                    index=models.Index(fields=['next_due'], name='beneficiari_next_du_48ccd9_idx'),
                ),
                migrations.AddConstraint(
                    model_name='rating',
                    constraint=models.UniqueConstraint(fields=('assessment', 'domain'), name='one_rating_per_domain', violation_error_message='This assessment already rates that domain.'),
                ),
                migrations.AddConstraint(
                    model_name='rating',
                    constraint=models.CheckConstraint(condition=models.Q(('level__gte', 1), ('level__lte', 5)), name='rating_level_1_to_5', violation_error_message='Levels run from 1 to 5.'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='domain', table=None),
        migrations.AlterModelTable(name='povertyline', table=None),
        migrations.AlterModelTable(name='assessment', table=None),
        migrations.AlterModelTable(name='domainlevel', table=None),
        migrations.AlterModelTable(name='familyscore', table=None),
        migrations.AlterModelTable(name='historicalassessment', table=None),
        migrations.AlterModelTable(name='historicalassessment_children_out_of_school', table=None),
        migrations.AlterModelTable(name='historicaldomain', table=None),
        migrations.AlterModelTable(name='historicaldomainlevel', table=None),
        migrations.AlterModelTable(name='historicalpovertyline', table=None),
        migrations.AlterModelTable(name='historicalrating', table=None),
        migrations.AlterModelTable(name='historicalwellbeingrule', table=None),
        migrations.AlterModelTable(name='rating', table=None),
        migrations.AlterModelTable(name='wellbeingrule', table=None),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]
