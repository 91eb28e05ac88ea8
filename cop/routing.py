"""Every websocket route in the project, gathered from the apps that own them."""

from forums.routing import websocket_urlpatterns as forum_routes
from notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns = [*notification_routes, *forum_routes]
