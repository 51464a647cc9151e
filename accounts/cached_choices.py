"""A model choice filter whose options come from a list read once per process.

The filter keeps its queryset for validation (a submitted value is still looked up in the
user's scoped queryset); only the options shown come from `cached_objects`, a list the
caller takes from `accounts.read_cache.shared` and narrows to the same scope.
"""

import django_filters
from django_filters.fields import ModelChoiceField, ModelChoiceIterator


class CachedChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        objects = self.field.cached_objects
        if objects is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in objects:
            yield self.choice(obj)

    def __len__(self):
        objects = self.field.cached_objects
        if objects is None:
            return super().__len__()
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(objects) + extra

    def __bool__(self):
        objects = self.field.cached_objects
        if objects is None:
            return super().__bool__()
        return self.field.empty_label is not None or bool(objects)


class CachedModelChoiceField(ModelChoiceField):
    iterator = CachedChoiceIterator

    def __init__(self, *args, cached_objects=None, **kwargs):
        self.cached_objects = cached_objects
        super().__init__(*args, **kwargs)


class CachedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """Set `filter.extra["cached_objects"]` to the options (the queryset's rows, in order)."""

    field_class = CachedModelChoiceField
