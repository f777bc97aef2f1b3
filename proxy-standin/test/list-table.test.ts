import { expect, test } from "vitest";
import { formatList } from "../src/list-table.ts";

test("formats list rows byte for byte like kamal-proxy, sorted by name, with trailing spaces", () => {
  const output = formatList([
    { name: "blog-web", host: "*", path: "/", target: "9f8e7d6c5b4a:3000", state: "stopped", tls: false },
    { name: "app-web", host: "app.test", path: "/", target: "3ad9c8e0d1f2:80", state: "running", tls: false },
  ]);
  expect(output).toBe(
    "\x1b[3;94mService\x1b[0m   \x1b[3;94mHost\x1b[0m      \x1b[3;94mPath\x1b[0m  \x1b[3;94mTarget\x1b[0m             \x1b[3;94mState\x1b[0m    \x1b[3;94mTLS\x1b[0m  \n" +
      "\x1b[1;34mapp-web\x1b[0m   \x1b[mapp.test\x1b[0m  \x1b[m/\x1b[0m     \x1b[m3ad9c8e0d1f2:80\x1b[0m    \x1b[mrunning\x1b[0m  \x1b[mno\x1b[0m   \n" +
      "\x1b[1;34mblog-web\x1b[0m  \x1b[m*\x1b[0m         \x1b[m/\x1b[0m     \x1b[m9f8e7d6c5b4a:3000\x1b[0m  \x1b[mstopped\x1b[0m  \x1b[mno\x1b[0m   \n",
  );
});

test("prints only the header row when nothing is deployed", () => {
  expect(formatList([])).toBe(
    "\x1b[3;94mService\x1b[0m  \x1b[3;94mHost\x1b[0m  \x1b[3;94mPath\x1b[0m  \x1b[3;94mTarget\x1b[0m  \x1b[3;94mState\x1b[0m  \x1b[3;94mTLS\x1b[0m  \n",
  );
});
