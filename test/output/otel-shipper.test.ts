import { afterEach, expect, test } from "vitest";
import { eventRecord } from "../../src/output/otel-records.ts";
import { OtelShipper } from "../../src/output/otel-shipper.ts";
import { startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.ts";

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

test("sends what is waiting at every interval, without waiting for the end of the run", async () => {
  receiver = await startOtlpReceiver();
  const shipper = new OtelShipper({ endpoint: receiver.endpoint, resource: [], scope: { name: "sextant", version: "0" }, warn: () => {}, intervalMs: 20 });
  shipper.append(eventRecord("kamal.start", "info", [], new Date(0)));
  await expect.poll(() => receiver?.received.length).toBe(1);
  await shipper.shutdown();
  expect(receiver.received).toHaveLength(1);
});
