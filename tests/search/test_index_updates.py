"""Indexes stay current: creating, editing, hiding and deleting content
changes what search finds, straight away (Wagtail's save/delete signals)."""

from forums import services as forum_services
from search import selectors
from tests.factories import add_member

from .conftest import make_case_study, make_document, make_thread


def found(user, query, kind):
    return [item.title for item in selectors.search(user, query, types=[kind]).results]


def test_thread_create_edit_delete(member, open_space):
    add_member(open_space, member)
    thread = make_thread(open_space, member, "Wombat crossings")
    assert found(member, "wombat", "thread") == ["Wombat crossings"]
    thread.title = "Badger crossings"
    thread.save()
    assert found(member, "wombat", "thread") == []
    assert found(member, "badger", "thread") == ["Badger crossings"]
    thread.delete()
    assert found(member, "badger", "thread") == []


def test_post_edit_and_hide(member, facilitator, open_space):
    add_member(open_space, member)
    add_member(open_space, facilitator, "facilitator")
    thread = make_thread(open_space, member, "Ferries", "The narwhal timetable.")
    post = thread.posts.first()
    assert found(member, "narwhal", "post")
    forum_services.post_edit(post=post, user=member, body="The walrus timetable.")
    assert found(member, "narwhal", "post") == []
    assert found(member, "walrus", "post")
    forum_services.post_hide(post=post, moderator=facilitator, reason="Off topic here")
    post.refresh_from_db()
    assert post.hidden
    assert found(member, "walrus", "post") == []
    assert found(facilitator, "walrus", "post") == []
    forum_services.post_restore(post=post, moderator=facilitator, reason="Back again")
    assert found(member, "walrus", "post")


def test_document_edit_and_delete(member, open_space):
    add_member(open_space, member)
    document = make_document(open_space, member, "Ocelot survey")
    assert found(member, "ocelot", "document") == ["Ocelot survey"]
    document.description = "Now about lynxes."
    document.save()
    assert found(member, "lynxes", "document") == ["Ocelot survey"]
    document.delete()
    assert found(member, "ocelot", "document") == []


def test_moving_a_thread_into_a_secret_space_hides_it(
    member, facilitator, open_space, secret_space
):
    add_member(open_space, member)
    add_member(secret_space, facilitator)
    thread = make_thread(open_space, facilitator, "Pangolin pricing")
    assert found(member, "pangolin", "thread")
    thread.space = secret_space
    thread.save()
    assert found(member, "pangolin", "thread") == []
    assert found(facilitator, "pangolin", "thread")


def test_case_study_unpublish_and_delete(member):
    page = make_case_study("Quetzal pilot", "A quetzal study.")
    assert found(member, "quetzal", "case_study") == ["Quetzal pilot"]
    page.unpublish()
    assert found(member, "quetzal", "case_study") == []
    page.delete()
    assert found(member, "quetzal", "case_study") == []


def test_space_rename_and_profile_edit(member, other_member, open_space):
    open_space.name = "Axolotl network"
    open_space.save()
    assert found(member, "axolotl", "space") == ["Axolotl network"]
    other_member.profile.job_title = "Capybara policy adviser"
    other_member.profile.save()
    assert found(member, "capybara", "person") == [str(other_member)]
    other_member.profile.job_title = "Adviser"
    other_member.profile.save()
    assert found(member, "capybara", "person") == []


def test_renaming_a_member_reindexes_their_profile(member, other_member):
    other_member.first_name = "Tamsin"
    other_member.save()
    assert found(member, "tamsin", "person") == [str(other_member)]
    other_member.first_name = "Tom"
    other_member.save(update_fields=["first_name"])
    assert found(member, "tamsin", "person") == []


def test_a_reply_rewrites_only_its_own_entry_not_its_threads(
    member, open_space, monkeypatch
):
    """A reply saves its thread's counters; the thread's entry (its title)
    is not rewritten for that, and stays findable. A title change is."""
    from modelsearch import index

    add_member(open_space, member)
    thread = make_thread(open_space, member, "Otter ladders")
    written = []
    real = index.insert_or_update_object

    def spy(instance, *args, **kwargs):
        written.append(type(instance).__name__)
        return real(instance, *args, **kwargs)

    monkeypatch.setattr(index, "insert_or_update_object", spy)
    forum_services.post_create(thread=thread, author=member, body="Heron ramps too")
    assert written == ["Post"]
    thread.refresh_from_db()
    assert thread.post_count == 2
    assert found(member, "otter", "thread") == ["Otter ladders"]
    assert found(member, "heron", "post")

    written.clear()
    thread.title = "Beaver ladders"
    thread.save(update_fields=["title"])
    assert written == ["Thread"]
    assert found(member, "beaver", "thread") == ["Beaver ladders"]
