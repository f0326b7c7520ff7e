// The Vue demo: the @wireline/vue plugin, a live status line, a chat relayed to every page,
// and a panel on another namespace that can be unmounted.
import { createWireline } from "@wireline/vue";
import { createApp } from "vue";
import App from "./App.vue";

const params = new URLSearchParams(location.search);
const serverUrl = params.get("server") ?? `${location.protocol}//${location.hostname}:3000`;

createApp(App)
  .use(createWireline({ url: serverUrl }))
  .mount("#app");
