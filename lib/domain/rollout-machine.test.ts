import { describe, expect, it } from "vitest";

import {
  type MachineInput,
  type MachineRing,
  nextRolloutAction,
  passedRingStatus,
  resumedBake,
  type RolloutAction,
  type RolloutRingStatus,
} from "./rollout-machine";

const T0 = new Date("2026-12-02T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const ring = (over: Partial<MachineRing> = {}): MachineRing => ({
  status: "pending",
  bakeSeconds: 60,
  failureBudget: 0,
  autoAdvance: true,
  reprovision: null,
  bakeUntil: null,
  ...over,
});
const done = (failed = 0, members = 3) => ({ members, finished: true, finishedAt: at(10), failed });
const running = { members: 3, finished: false, finishedAt: null, failed: 0 };

const input = (over: Partial<MachineInput> = {}): MachineInput => ({
  status: "running",
  currentRing: 0,
  rings: [ring(), ring(), ring()],
  now: at(0),
  gate: null,
  rollback: null,
  ...over,
});
const OK = { ok: true, failures: [] };
const BAD = { ok: false, failures: [{ workspaceId: "w1", reason: "w1 exited (code 1)" }] };

describe("nextRolloutAction", () => {
  it.each<[string, MachineInput, RolloutAction]>([
    [
      "ended rollouts do nothing",
      input({ status: "succeeded" }),
      { type: "idle", why: "the rollout has ended (succeeded)" },
    ],
    ["aborted ones neither", input({ status: "aborted" }), { type: "idle", why: "the rollout has ended (aborted)" }],
    ["paused waits for an operator", input({ status: "paused" }), { type: "idle", why: "paused by an operator" }],
    ["first ring starts", input(), { type: "start_ring", ring: 0, movesPin: false }],
    [
      "the last ring's start moves the pin",
      input({ currentRing: 2, rings: [ring({ status: "passed" }), ring({ status: "passed" }), ring()] }),
      { type: "start_ring", ring: 2, movesPin: true },
    ],
    [
      "reprovision still running",
      input({ rings: [ring({ status: "reprovisioning", reprovision: running }), ring(), ring()] }),
      { type: "wait", ring: 0, until: null, why: "reprovisioning the ring" },
    ],
    [
      "reprovision done: the bake runs from its end",
      input({ now: at(30), rings: [ring({ status: "reprovisioning", reprovision: done() }), ring(), ring()] }),
      { type: "begin_bake", ring: 0, bakeStartedAt: at(10), bakeUntil: at(70) },
    ],
    [
      "failures within the budget still bake",
      input({ rings: [ring({ status: "reprovisioning", failureBudget: 1, reprovision: done(1) }), ring(), ring()] }),
      { type: "begin_bake", ring: 0, bakeStartedAt: at(10), bakeUntil: at(70) },
    ],
    [
      "failures beyond the budget fail the ring",
      input({ rings: [ring({ status: "reprovisioning", failureBudget: 1, reprovision: done(2) }), ring(), ring()] }),
      { type: "fail_ring", ring: 0, why: "2 of 3 reprovisions failed (failure budget 1)", failures: [] },
    ],
    [
      "an empty ring passes without baking",
      input({ rings: [ring({ status: "reprovisioning", reprovision: done(0, 0) }), ring(), ring()] }),
      { type: "pass_ring", ring: 0, then: "advance" },
    ],
    [
      "baking, gate fine, time left",
      input({ now: at(40), gate: OK, rings: [ring({ status: "baking", bakeUntil: at(70) }), ring(), ring()] }),
      { type: "wait", ring: 0, until: at(70), why: "baking" },
    ],
    [
      "baking, gate failed before the end",
      input({ now: at(40), gate: BAD, rings: [ring({ status: "baking", bakeUntil: at(70) }), ring(), ring()] }),
      { type: "fail_ring", ring: 0, why: "bake gate failed: w1 exited (code 1)", failures: BAD.failures },
    ],
    [
      "baking, gate failed at the end",
      input({ now: at(90), gate: BAD, rings: [ring({ status: "baking", bakeUntil: at(70) }), ring(), ring()] }),
      { type: "fail_ring", ring: 0, why: "bake gate failed: w1 exited (code 1)", failures: BAD.failures },
    ],
    [
      "bake over without a look at the gate waits for one",
      input({ now: at(70), rings: [ring({ status: "baking", bakeUntil: at(70) }), ring(), ring()] }),
      { type: "wait", ring: 0, until: null, why: "the bake gate has not been looked at" },
    ],
    [
      "bake over (exactly at the end), gate fine: passes and advances",
      input({ now: at(70), gate: OK, rings: [ring({ status: "baking", bakeUntil: at(70) }), ring(), ring()] }),
      { type: "pass_ring", ring: 0, then: "advance" },
    ],
    [
      "bake over but an engine unreachable: no pass yet",
      input({
        now: at(80),
        gate: { ok: true, failures: [], unknown: ["w2"] },
        rings: [ring({ status: "baking", bakeUntil: at(70) }), ring(), ring()],
      }),
      { type: "wait", ring: 0, until: null, why: "some workspaces' engines cannot be reached" },
    ],
    [
      "a manual ring waits for an operator once passed",
      input({
        now: at(80),
        gate: OK,
        rings: [ring({ status: "baking", autoAdvance: false, bakeUntil: at(70) }), ring(), ring()],
      }),
      { type: "pass_ring", ring: 0, then: "wait_operator" },
    ],
    [
      "the last ring passing ends the rollout",
      input({
        currentRing: 1,
        now: at(80),
        gate: OK,
        rings: [ring({ status: "passed" }), ring({ status: "baking", bakeUntil: at(70) })],
      }),
      { type: "pass_ring", ring: 1, then: "succeed" },
    ],
    [
      "waiting stays idle",
      input({ rings: [ring({ status: "waiting" }), ring(), ring()] }),
      { type: "idle", why: "waiting for an operator to advance" },
    ],
    [
      "passed advances",
      input({ rings: [ring({ status: "passed" }), ring(), ring()] }),
      { type: "advance", from: 0, to: 1 },
    ],
    [
      "last passed succeeds",
      input({
        currentRing: 2,
        rings: [ring({ status: "passed" }), ring({ status: "passed" }), ring({ status: "passed" })],
      }),
      { type: "succeed" },
    ],
    ["beyond the last ring succeeds", input({ currentRing: 3 }), { type: "succeed" }],
    [
      "rollback waits for a running reprovision",
      input({
        status: "paused",
        rollback: { ending: "aborted", started: false, finished: false },
        rings: [
          ring({ status: "passed", reprovision: done() }),
          ring({ status: "reprovisioning", reprovision: running }),
          ring(),
        ],
      }),
      { type: "wait", ring: 1, until: null, why: "letting the running reprovision end before rolling back" },
    ],
    [
      "rollback starts once nothing runs",
      input({ status: "paused", rollback: { ending: "rolled_back", started: false, finished: false } }),
      { type: "start_rollback" },
    ],
    [
      "rollback running",
      input({ status: "paused", rollback: { ending: "rolled_back", started: true, finished: false } }),
      { type: "wait", ring: 0, until: null, why: "rolling back" },
    ],
    [
      "rollback finished: rolled back",
      input({ status: "paused", rollback: { ending: "rolled_back", started: true, finished: true } }),
      { type: "finish_rollback", status: "rolled_back" },
    ],
    [
      "abort finished: aborted",
      input({ status: "paused", rollback: { ending: "aborted", started: true, finished: true } }),
      { type: "finish_rollback", status: "aborted" },
    ],
  ])("%s", (_name, given, expected) => {
    expect(nextRolloutAction(given)).toEqual(expected);
  });

  it("walks a three-ring rollout to the end when each step is applied", () => {
    const state = input();
    const seen: string[] = [];
    for (let step = 0; step < 30; step++) {
      const action = nextRolloutAction({ ...state, now: at(1000), gate: OK });
      seen.push(action.type);
      if (action.type === "succeed") break;
      const r = state.rings[state.currentRing]!;
      if (action.type === "start_ring") Object.assign(r, { status: "reprovisioning", reprovision: done() });
      if (action.type === "begin_bake") Object.assign(r, { status: "baking", bakeUntil: action.bakeUntil });
      if (action.type === "pass_ring") r.status = passedRingStatus(action.then);
      if (action.type === "advance") state.currentRing = action.to;
    }
    expect(seen).toEqual([
      ...["start_ring", "begin_bake", "pass_ring", "advance"],
      ...["start_ring", "begin_bake", "pass_ring", "advance"],
      ...["start_ring", "begin_bake", "pass_ring", "succeed"],
    ]);
  });
});

describe("resumedBake", () => {
  it.each<[RolloutRingStatus, ReturnType<typeof resumedBake>]>([
    ["baking", { bakeStartedAt: at(500), bakeUntil: at(560) }],
    ["pending", null],
    ["reprovisioning", null],
    ["waiting", null],
    ["passed", null],
    ["failed", null],
  ])("a %s ring resumed at T0+500 s with a 60 s bake → %o", (status, expected) => {
    expect(resumedBake({ status, bakeSeconds: 60 }, at(500))).toEqual(expected);
  });

  it("a bake that ran out while paused does not pass on the tick after the resume", () => {
    // Paused at T0+20 during a bake ending at T0+70; resumed at T0+500 with every container fine.
    const paused = ring({ status: "baking", reprovision: done(), bakeUntil: at(70) });
    const bake = resumedBake(paused, at(500))!;
    const resumed = { ...paused, bakeUntil: bake.bakeUntil };
    const tick = (now: number) =>
      nextRolloutAction(input({ rings: [resumed, ring(), ring()], now: at(now), gate: OK }));
    expect(tick(501)).toEqual({ type: "wait", ring: 0, until: at(560), why: "baking" });
    expect(tick(560)).toEqual({ type: "pass_ring", ring: 0, then: "advance" });
  });
});
