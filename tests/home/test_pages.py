import pytest
from wagtail.models import Page, Site

from home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def test_site_root_is_the_home_page_with_footer_pages():
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    slugs = set(StandardPage.objects.child_of(home).values_list("slug", flat=True))
    assert {"accessibility", "privacy"} <= slugs


def test_home_page_for_visitors_explains_and_offers_sign_up(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "where people who work across government find each other" in body
    assert 'href="/accounts/signup/"' in body
    assert 'class="govuk-skip-link"' in body


@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/"])
def test_footer_pages_render(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"govuk-footer" in response.content


def test_unknown_page_is_a_404_in_the_site_look(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-header" in response.content


def test_home_page_tree_rules():
    root = Page.get_first_root_node()
    home = HomePage.objects.get()
    # One home page only, at the root; standard pages live under it.
    assert not HomePage.can_create_at(root)
    assert not HomePage.can_create_at(home)
    assert not StandardPage.can_create_at(root)
    assert StandardPage.can_create_at(home)


@pytest.mark.django_db(transaction=True)
def test_ensure_site_rebuilds_an_emptied_site_and_changes_nothing_twice():
    from django.core.management import call_command

    from home.site_setup import ensure_site

    call_command("flush", interactive=False, verbosity=0)
    home = ensure_site()
    ensure_site()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert HomePage.objects.count() == 1
    assert (
        StandardPage.objects.filter(slug__in=["accessibility", "privacy"]).count() == 2
    )
