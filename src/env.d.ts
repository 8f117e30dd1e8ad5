/// <reference types="@crxjs/vite-plugin/client" />
/** True in the sandbox build, which may talk to http://127.0.0.1 partners and EHRs. */
declare const __SANDBOX_BUILD__: boolean;
/** True in the Firefox builds (dist-firefox/, dist-firefox-sandbox/). */
declare const __FIREFOX_BUILD__: boolean;
