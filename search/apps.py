from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "cop_search"
    verbose_name = "Search"
