app_name = "payroll"

# Pages of this app arrive with its issue; the root URLconf already includes this module.
urlpatterns = []
