// The Frames view model: consecutive frames of one shape grouped into one row that expands page by page, runs
// of the record (one entry for many frames) opened into their frames with exact offsets, and the nghttp -v text
// that sums a long run up (or prints each frame with --frames=all).
import * as assert from 'node:assert/strict';
import type { H2Frame } from '../../../src/shared/exchange';
import {
  FRAMES_PAGE,
  binaryBytes,
  formatFramesNghttp,
  frameBytes,
  framesHint,
  groupFrames,
  groupMembers,
  groupSummary,
  groupTitle,
  streamTimelines,
  totalFrames,
  type FrameGroup,
} from '../../../src/view/frames';

function f(
  direction: H2Frame['direction'],
  type: string,
  typeCode: number,
  stream: number,
  length: number,
  offset: number,
  time: number,
  extra: Partial<H2Frame> = {},
): H2Frame {
  return { direction, type, typeCode, stream, flags: 0, flagNames: [], length, time, offset, summary: `${length} bytes`, ...extra };
}

/** A download: SETTINGS, HEADERS, 10 DATA frames each their own entry, then a run of 20,000 + 1 more, END_STREAM. */
function download(): H2Frame[] {
  const out: H2Frame[] = [
    f('sent', 'SETTINGS', 4, 0, 18, 24, 0.1, { settings: [['INITIAL_WINDOW_SIZE', 16777216]] }),
    f('sent', 'HEADERS', 1, 1, 30, 51, 0.2, { flags: 5, flagNames: ['END_STREAM', 'END_HEADERS'], fields: [] }),
    f('received', 'SETTINGS', 4, 0, 0, 0, 1),
    f('received', 'HEADERS', 1, 1, 20, 9, 2, { flags: 4, flagNames: ['END_HEADERS'], fields: [] }),
  ];
  let offset = 38;
  for (let i = 0; i < 10; i++) {
    out.push(f('received', 'DATA', 0, 1, 16384, offset, 3 + i));
    offset += 16393;
  }
  out.push(
    f('received', 'DATA', 0, 1, 16384, offset, 20, {
      run: {
        count: 20_001,
        bytes: 20_000 * 16384 + 100,
        lengths: [
          [16384, 20_000],
          [100, 1],
        ],
        lastTime: 900,
      },
    }),
  );
  offset += 20_000 * 16393 + 109;
  out.push(f('sent', 'WINDOW_UPDATE', 0, 0, 4, 81, 500, { windowIncrement: 8388608, summary: 'window_size_increment=8388608' }));
  out.push(f('received', 'DATA', 0, 1, 0, offset, 901, { flags: 1, flagNames: ['END_STREAM'], summary: '0 bytes, end of response' }));
  return out;
}

describe('view/frames: groups, runs and pages', () => {
  it('counts every frame a run stands for, per stream and in the hint', () => {
    const frames = download();
    assert.equal(totalFrames(frames), 4 + 10 + 20_001 + 2);
    const [conn, s1] = streamTimelines(frames);
    assert.equal(conn.count, 3);
    assert.equal(s1.count, 2 + 10 + 20_001 + 1);
    assert.equal(framesHint({ frames }), '3 sent · 20014 received · 2 streams');
  });

  it('groups consecutive DATA frames, run entries included, into one row with their count and size', () => {
    const [, s1] = streamTimelines(download());
    const items = groupFrames(s1.frames);
    assert.deepEqual(
      items.map((i) => (i.kind === 'frame' ? i.frame.type : `group ${i.type} ${i.count}`)),
      ['HEADERS', 'HEADERS', 'group DATA 20011', 'DATA'],
    );
    const g = items[2] as FrameGroup;
    assert.equal(groupTitle(g), 'DATA ×20,011');
    assert.equal(g.bytes, 20_010 * 16384 + 100);
    assert.equal(groupSummary(g), '100 B–16 KiB each, 313 MiB');
    assert.equal(g.firstTime, 3);
    assert.equal(g.lastTime, 900);
  });

  it('leaves a few frames alone: a group needs GROUP_MIN frames or a run', () => {
    const few = [0, 1, 2].map((i) => ({ index: i, frame: f('received', 'DATA', 0, 1, 10, i * 19, i) }));
    assert.deepEqual(
      groupFrames(few).map((i) => i.kind),
      ['frame', 'frame', 'frame'],
    );
    const headers = [0, 1, 2, 3, 4].map((i) => ({ index: i, frame: f('received', 'HEADERS', 1, 1, 10, i * 19, i, { fields: [] }) }));
    assert.ok(
      groupFrames(headers).every((i) => i.kind === 'frame'),
      'HEADERS never group',
    );
  });

  it("opens a group page by page, a run's frames each with its offset and length, no time invented", () => {
    const [, s1] = streamTimelines(download());
    const g = groupFrames(s1.frames)[2] as FrameGroup;
    const first = groupMembers(g, 0, FRAMES_PAGE);
    assert.equal(first.length, FRAMES_PAGE);
    assert.deepEqual(
      first.map((m) => m.ordinal),
      [...Array(FRAMES_PAGE).keys()],
    );
    // The 11th frame is the run's first entry: its own time; the 12th is inside the run: no time of its own.
    assert.equal(first[10].frame.time, 20);
    assert.equal(first[10].timeKnown, true);
    assert.deepEqual(first[10].inRun, { position: 0, of: 20_001 });
    assert.equal(first[11].timeKnown, false);
    assert.equal(first[11].frame.offset, first[10].frame.offset + 16393);
    assert.equal(first[11].frame.run, undefined);
    // A page deep inside, and the last page: the short last frame, at the run's last time.
    const deep = groupMembers(g, 15_000, 15_000 + FRAMES_PAGE);
    assert.equal(deep[0].ordinal, 15_000);
    assert.equal(deep[0].frame.offset, 38 + 15_000 * 16393);
    const tail = groupMembers(g, 20_000, 20_011);
    assert.equal(tail.length, 11);
    const last = tail[tail.length - 1];
    assert.equal(last.ordinal, 20_010);
    assert.equal(last.frame.length, 100);
    assert.equal(last.frame.time, 900);
    assert.equal(last.timeKnown, true);
    assert.equal(last.frame.offset, 38 + 20_010 * 16393);
    assert.deepEqual(groupMembers(g, 20_011, 20_500), []);
  });

  it("finds a run frame's bytes in the raw record when they were kept", () => {
    // 6 DATA frames of 3 bytes, the last 5 as a run.
    const raw: number[] = [];
    for (let i = 0; i < 6; i++) raw.push(0, 0, 3, 0, 0, 0, 0, 0, 1, i, i, i);
    const frames = [
      f('received', 'DATA', 0, 1, 3, 0, 1),
      f('received', 'DATA', 0, 1, 3, 12, 2, {
        run: {
          count: 5,
          bytes: 15,
          lengths: [[3, 5]],
          lastTime: 3,
        },
      }),
    ];
    const g = groupFrames(frames.map((frame, index) => ({ index, frame })))[0] as FrameGroup;
    const members = groupMembers(g, 0, g.count);
    assert.equal(members.length, 6);
    members.forEach((m, i) => {
      const bytes = frameBytes(m.frame, new Uint8Array(0), Uint8Array.from(raw));
      assert.deepEqual([...(bytes ?? [])], [0, 0, 3, 0, 0, 0, 0, 0, 1, i, i, i]);
    });
  });

  it('prints a long group as its first frame, a count and its last; --frames=all prints each', () => {
    const frames = download();
    const short = formatFramesNghttp({ frames });
    assert.ok(short.length < 60, `${short.length} lines`);
    assert.ok(short.some((l) => /\[… 20,009 more DATA frames like these \(100 B–16 KiB each, 313 MiB\); --frames=all prints each\]/.test(l)));
    const heads = short.filter((l) => / recv DATA frame /.test(l));
    assert.equal(heads.length, 3, 'first and last of the group, then END_STREAM');
    assert.match(heads[1], /^\[  0\.900\] recv DATA frame <length=100, flags=0x00, stream_id=1>$/);
    const all = formatFramesNghttp({ frames }, { all: true });
    const allHeads = all.filter((l) => / recv DATA frame /.test(l));
    assert.equal(allHeads.length, 20_011 + 1);
    // Inside a run the record keeps no time for each frame: none is made up.
    assert.match(allHeads[11], /^\[ {6}…\] recv DATA frame <length=16384, flags=0x00, stream_id=1>$/);
  });

  it('says sizes in binary units', () => {
    assert.equal(binaryBytes(100), '100 B');
    assert.equal(binaryBytes(16384), '16 KiB');
    assert.equal(binaryBytes(20_237_000), '19.3 MiB');
  });
});
