package storetest

import (
	"context"
	"fmt"
	"testing"

	"locatiedesk/data"
)

// note writes a note on Anna's row today: one write, one change.
func (f *fixture) note(s data.Store, text string) error {
	return s.SetNote(f.t.Context(), edit(f.tess, f.rupsjes, f.anna, today), text)
}

// wantFeedAfter checks that got holds every change the audit log has after
// seq, exactly once, in order.
func (f *fixture) wantFeedAfter(after uint64, got []data.Change) {
	f.t.Helper()
	var want []data.Change
	log := f.log()
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].Seq > after {
			for _, c := range log[i].Changes {
				c.Seq = log[i].Seq
				want = append(want, c)
			}
		}
	}
	if len(got) != len(want) {
		f.t.Fatalf("the feed after %d delivered %d changes, the log has %d", after, len(got), len(want))
	}
	for i := range want {
		if got[i].Seq != want[i].Seq || got[i].Kind != want[i].Kind || got[i].Detail != want[i].Detail {
			f.t.Fatalf("change %d: got seq %d %s %q, want seq %d %s %q", i, got[i].Seq, got[i].Kind, got[i].Detail, want[i].Seq, want[i].Kind, want[i].Detail)
		}
	}
}

func feed(t *testing.T, newStore Factory) {
	run(t, "Feed_SeqRisesAndIsSharedByOneWrite", newStore, func(t *testing.T, f *fixture) {
		rec := f.subscribe(data.FeedLive)
		_, err := f.as(f.tess).ReportAbsence(t.Context(), data.AbsenceReport{ChildID: f.dewi.ID, Date: friday, Reason: data.AbsenceDayOff, By: f.tess.Name})
		f.must(err, "ReportAbsence")
		f.must(f.note(f.as(f.tess), "één"), "SetNote")
		got := rec.waitFor(t, func(cs []data.Change) bool { return len(cs) >= 3 })
		absence, noteChange := got[:len(got)-1], got[len(got)-1]
		kinds := map[data.ChangeKind]bool{}
		for _, c := range absence {
			kinds[c.Kind] = true
			if c.Seq == 0 || c.Seq != absence[0].Seq {
				t.Errorf("the absence's changes have seqs %v, want one shared seq", seqs(absence))
			}
		}
		if !kinds[data.ChangeAttendance] || !kinds[data.ChangeCredit] {
			t.Errorf("the absence's changes %+v, want attendance and credit", absence)
		}
		if noteChange.Seq <= absence[0].Seq || noteChange.Kind != data.ChangeAttendance || noteChange.ChildID != f.anna.ID {
			t.Errorf("the note's change %+v after seq %d", noteChange, absence[0].Seq)
		}
	})

	run(t, "Feed_CatchUpThenLiveWhileWriting", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		f.must(f.note(staff, "voor"), "SetNote")
		seen := f.log()[0].Seq
		for i := range 3 {
			f.must(f.note(staff, fmt.Sprint("gemist ", i)), "SetNote")
		}
		// Subscribers join from the number they last saw while another
		// goroutine writes, so writes land during their catching up.
		const concurrent = 60
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := range concurrent {
				if err := f.note(staff, fmt.Sprint("tegelijk ", i)); err != nil {
					t.Errorf("SetNote: %v", err)
				}
			}
		}()
		type joined struct {
			after uint64
			rec   *recorder
		}
		all := []joined{{seen, f.subscribe(seen)}}
	joining:
		for {
			select {
			case <-done:
				break joining
			default:
				after := f.log()[0].Seq - 1
				all = append(all, joined{after, f.subscribe(after)})
			}
		}
		last := f.log()[0].Seq
		for _, j := range all {
			got := j.rec.waitFor(t, func(cs []data.Change) bool { return len(cs) > 0 && cs[len(cs)-1].Seq >= last })
			f.wantFeedAfter(j.after, got)
		}
		if got := all[0].rec.got(); len(got) != 3+concurrent {
			t.Errorf("the first subscriber got %d changes, want %d", len(got), 3+concurrent)
		}
	})

	run(t, "Feed_LiveGivesOnlyNewChanges", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		f.must(f.note(staff, "oud"), "SetNote")
		rec := f.subscribe(data.FeedLive)
		f.must(f.note(staff, "nieuw"), "SetNote")
		newest := f.log()[0].Seq
		got := rec.waitFor(t, func(cs []data.Change) bool { return len(cs) > 0 })
		if len(got) != 1 || got[0].Seq != newest {
			t.Errorf("a live subscriber got %+v, want the one new change (seq %d)", got, newest)
		}
	})

	run(t, "Feed_CancelStopsDelivery", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		cancelled := f.subscribe(data.FeedLive)
		ctx, end := context.WithCancel(t.Context())
		ended := subscribeTo(t, f.sys, ctx, data.FeedLive)
		witness := f.subscribe(data.FeedLive)
		f.must(f.note(staff, "een"), "SetNote")
		witness.waitFor(t, func(cs []data.Change) bool { return len(cs) == 1 })
		cancelled.waitFor(t, func(cs []data.Change) bool { return len(cs) == 1 })
		ended.waitFor(t, func(cs []data.Change) bool { return len(cs) == 1 })
		cancelled.stop()
		end()
		f.must(f.note(staff, "twee"), "SetNote")
		f.must(f.note(staff, "drie"), "SetNote")
		witness.waitFor(t, func(cs []data.Change) bool { return len(cs) == 3 })
		if n := len(cancelled.got()); n != 1 {
			t.Errorf("a cancelled subscriber got %d changes, want the 1 before cancelling", n)
		}
		if n := len(ended.got()); n != 1 {
			t.Errorf("a subscriber whose context ended got %d changes, want the 1 before", n)
		}
	})
}

func seqs(cs []data.Change) []uint64 {
	var out []uint64
	for _, c := range cs {
		out = append(out, c.Seq)
	}
	return out
}

func cancelled(t *testing.T, newStore Factory) {
	run(t, "Context_CancelledCallWritesNothing", newStore, func(t *testing.T, f *fixture) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		staff := f.as(f.tess)
		for name, write := range map[string]func() error{
			"CheckIn": func() error { return staff.CheckIn(ctx, edit(f.tess, f.rupsjes, f.anna, today), data.NewClock(8, 0)) },
			"SubmitRequest": func() error {
				_, err := staff.SubmitRequest(ctx, f.dewiDraft(wednesday), data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductKDV})
				return err
			},
			"AddChild": func() error {
				_, err := f.sys.AddChild(ctx, data.Child{LocationID: f.vlinder.ID, FirstName: "Gijs", LastName: "Conform", BirthDate: data.NewDate(2025, 1, 1)})
				return err
			},
		} {
			f.sub(name, func() { f.refused(context.Canceled, write) })
		}
		if a := f.row(f.rupsjes, f.anna, today).Attendance; a.CheckIn != nil {
			t.Errorf("a cancelled check-in was recorded: %+v", a)
		}
		if q, _ := f.sys.OpenRequests(t.Context(), f.rupsjes.ID); len(q) != 0 {
			t.Errorf("a cancelled request was stored: %+v", q)
		}
		if _, err := f.sys.Locations(ctx); err == nil {
			t.Error("a read with a cancelled context succeeded")
		}
	})
}
