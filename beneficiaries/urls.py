app_name = "beneficiaries"

# Family pages arrive with the families issue; the root URLconf already includes this module.
urlpatterns = []
