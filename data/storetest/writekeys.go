package storetest

import (
	"errors"
	"testing"

	"locatiedesk/data"
)

// skipped runs write, a retry of a write applied before, and checks that it
// succeeded or said data.ErrAlreadyApplied and left nothing: no audit
// entry, no change in the feed.
func (f *fixture) skipped(write func() error) {
	f.t.Helper()
	rec := f.subscribe(data.FeedLive)
	defer rec.stop()
	before := len(f.log())
	if err := write(); err != nil && !errors.Is(err, data.ErrAlreadyApplied) {
		f.t.Fatalf("a retry with a used key: %v, want success or ErrAlreadyApplied", err)
	}
	if after := len(f.log()); after != before {
		f.t.Errorf("a retry with a used key left %d audit entries", after-before)
	}
	f.must(f.sys.LogPrint(f.t.Context(), "conformance marker"), "LogPrint")
	got := rec.waitFor(f.t, func(cs []data.Change) bool { return len(cs) > 0 && cs[len(cs)-1].Kind == data.ChangePrint })
	if len(got) != 1 {
		f.t.Errorf("a retry with a used key reached the feed: %+v", got[:len(got)-1])
	}
}

func writeKeys(t *testing.T, newStore Factory) {
	run(t, "WriteKey_AppliedOncePerKey", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		anna := edit(f.tess, f.rupsjes, f.anna, today)
		keyA := data.WithWriteKey(t.Context(), "tablet:a")
		checkIn := func(want data.Clock) {
			t.Helper()
			if got := f.row(f.rupsjes, f.anna, today).Attendance.CheckIn; got == nil || *got != want {
				t.Fatalf("Anna's check-in %v, want %s", got, want)
			}
		}

		f.written(f.tess, data.AuditCheckIn, func() error { return staff.CheckIn(keyA, anna, data.NewClock(8, 0)) })
		// The retry of a write whose answer was lost: applied once.
		f.skipped(func() error { return staff.CheckIn(keyA, anna, data.NewClock(8, 0)) })
		// The key names the write, not its arguments or its call.
		f.skipped(func() error { return staff.CheckIn(keyA, anna, data.NewClock(8, 30)) })
		f.skipped(func() error { return staff.SetNote(keyA, anna, "met de key van de check-in") })
		checkIn(data.NewClock(8, 0))
		if note := f.row(f.rupsjes, f.anna, today).Attendance.Note; note != "" {
			t.Errorf("a skipped note was stored: %q", note)
		}

		// Another key is another write, and the rules judge it.
		f.written(f.tess, data.AuditCheckIn, func() error {
			return staff.CheckIn(data.WithWriteKey(t.Context(), "tablet:b"), anna, data.NewClock(8, 30))
		})
		checkIn(data.NewClock(8, 30))
		keyC := data.WithWriteKey(t.Context(), "tablet:c")
		tooEarly := func() error { return staff.CheckOut(keyC, anna, data.NewClock(8, 10)) } // before the check-in
		f.refused(data.ErrInvalid, tooEarly)
		// A refused write is not applied, so its retry is refused again
		// rather than answered as applied.
		f.refused(data.ErrInvalid, tooEarly)
		f.written(f.tess, data.AuditCheckOut, func() error {
			return staff.CheckOut(data.WithWriteKey(t.Context(), "tablet:d"), anna, data.NewClock(8, 45))
		})
		if out := f.row(f.rupsjes, f.anna, today).Attendance.CheckOut; out == nil || *out != data.NewClock(8, 45) {
			t.Errorf("Anna's check-out %v, want 08:45", out)
		}
	})
}
