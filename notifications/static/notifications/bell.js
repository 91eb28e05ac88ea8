// The bell in the header: keeps the unread count live over the member's
// websocket (/ws/me/). Without JavaScript the link still shows the count
// as it was when the page loaded.
const link = document.querySelector("[data-bell]");
const count = document.querySelector("[data-bell-count]");
const live = document.querySelector("[data-bell-live]");

function show(unread, item) {
  if (!count) return;
  count.hidden = unread === 0;
  count.firstChild.nodeValue = ` (${unread}`;
  if (live && item && item.title) {
    // Polite: read out when the reader pauses, never moving their focus.
    live.textContent = `New notification: ${item.title}`;
  }
}

function connect(delay) {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${window.location.host}/ws/me/`);
  socket.addEventListener("open", () => {
    delay = 1000;
    socket.send(JSON.stringify({ type: "unread" }));
  });
  socket.addEventListener("message", (event) => {
    let data;
    try { data = JSON.parse(event.data); } catch { return; }
    if (data.type === "notification" && data.notification) {
      const { unread, item } = data.notification;
      if (Number.isInteger(unread)) show(unread, item);
    }
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4401) return; // signed out: stop trying
    setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
  });
}

if (link && count && "WebSocket" in window) connect(1000);
