app_name = "enterprises"

# Pages of this app arrive with its issue; the root URLconf already includes this module.
urlpatterns = []
