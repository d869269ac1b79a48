package storetest

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
)

// morning is the extra care the request tests ask for: 4 hours.
var morning = data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)}

// dewiDraft is Tess asking for Dewi in Rupsjes on day.
func (f *fixture) dewiDraft(day data.Date) data.RequestDraft {
	return data.RequestDraft{ChildID: f.dewi.ID, GroupID: f.rupsjes.ID, Date: day, Times: morning,
		Product: data.ProductKDV, Channel: data.ChannelGroup, By: f.tess.Name}
}

// dewiCredit reports Dewi absent on Friday, in time, which earns her 9 hours of credit.
func (f *fixture) dewiCredit() data.CreditEntry {
	f.t.Helper()
	a, err := f.as(f.tess).ReportAbsence(f.t.Context(), data.AbsenceReport{ChildID: f.dewi.ID, Date: friday, Reason: data.AbsenceDayOff, By: f.tess.Name})
	f.must(err, "ReportAbsence")
	if a.Credit == nil || a.Credit.Minutes != 540 {
		f.t.Fatalf("Dewi's absence on Friday earned %+v, want 540 minutes", a.Credit)
	}
	e := f.absenceEntry(f.dewi)
	if e.Available() != 540 || e.Reserved != 0 || e.Spent != 0 {
		f.t.Fatalf("Dewi's credit %+v, want 540 minutes available", e)
	}
	return e
}

// absenceEntry is the child's one absence-credit entry.
func (f *fixture) absenceEntry(c data.Child) data.CreditEntry {
	f.t.Helper()
	l, err := f.sys.Ledger(f.t.Context(), c.ID)
	f.must(err, "Ledger")
	var found []data.CreditEntry
	for _, e := range l.Entries {
		if !e.Flexible() {
			found = append(found, e)
		}
	}
	if len(found) != 1 {
		f.t.Fatalf("%s has %d absence-credit entries, want 1: %+v", c.FirstName, len(found), l.Entries)
	}
	return found[0]
}

// submit previews d as who, checks the proposal pays from entry, and submits it.
func (f *fixture) submit(who data.Actor, d data.RequestDraft, entry data.CreditEntry) data.Request {
	f.t.Helper()
	s := f.as(who)
	p, err := s.PreviewRequest(f.t.Context(), d)
	f.must(err, "PreviewRequest")
	if p.Problem != nil {
		f.t.Fatalf("preview of %+v: %v", d, p.Problem)
	}
	if entry.ID != 0 && (len(p.Proposal.Allocations) != 1 || p.Proposal.Allocations[0].EntryID != entry.ID ||
		p.Proposal.Allocations[0].Minutes != 240 || p.Proposal.InvoiceMinutes != 0) {
		f.t.Fatalf("proposal %+v, want 4 hours from credit entry %d (R3)", p.Proposal, entry.ID)
	}
	var r data.Request
	f.written(who, data.AuditSubmitRequest, func() error {
		r, err = s.SubmitRequest(f.t.Context(), d, p.Proposal.Payment)
		return err
	})
	if r.ID == 0 || r.Status != data.StatusOpen || r.ChildID != d.ChildID || r.Date != d.Date || !r.Payment.Equal(p.Proposal.Payment) {
		f.t.Fatalf("submitted request %+v", r)
	}
	return r
}

// openRequest is the child's one open request in Rupsjes.
func (f *fixture) openRequest(c data.Child) data.Request {
	f.t.Helper()
	queue, err := f.sys.OpenRequests(f.t.Context(), f.rupsjes.ID)
	f.must(err, "OpenRequests")
	for _, q := range queue {
		if q.Request.ChildID == c.ID {
			return q.Request
		}
	}
	f.t.Fatalf("%s has no open request: %+v", c.FirstName, queue)
	return data.Request{}
}

// wantCredit checks the child's absence credit.
func (f *fixture) wantCredit(c data.Child, reserved, spent int) {
	f.t.Helper()
	e := f.absenceEntry(c)
	if e.Reserved != reserved || e.Spent != spent || e.Available() != e.Minutes-reserved-spent {
		f.t.Errorf("%s's credit %+v, want %d reserved and %d spent", c.FirstName, e, reserved, spent)
	}
}

// wantStatus checks a stored request's status.
func (f *fixture) wantStatus(id data.ID, status data.RequestStatus) data.Request {
	f.t.Helper()
	r, err := f.sys.Request(f.t.Context(), id)
	f.must(err, "Request")
	if r.Status != status {
		f.t.Errorf("request %d is %s, want %s", id, r.Status, status)
	}
	return r
}

func requests(t *testing.T, newStore Factory) {
	run(t, "R3_R7_ApproveSpendsTheReservedCredit", newStore, func(t *testing.T, f *fixture) {
		entry := f.dewiCredit()
		r := f.submit(f.tess, f.dewiDraft(wednesday), entry)
		f.wantCredit(f.dewi, 240, 0)
		queue, err := f.as(f.tess).OpenRequests(t.Context(), f.rupsjes.ID)
		f.must(err, "OpenRequests")
		if len(queue) != 1 || queue[0].Request.ID != r.ID || queue[0].Flag != data.FlagNear {
			t.Errorf("queue %+v, want the request flagged near (R6)", queue)
		}
		if f.onList(f.rupsjes, f.dewi, wednesday) {
			t.Fatal("Dewi is on Wednesday's list before approval")
		}
		f.written(f.tess, data.AuditApproveRequest, func() error { return f.as(f.tess).ApproveRequest(t.Context(), r.ID, f.tess.Name) })
		f.wantCredit(f.dewi, 0, 240)
		stored := f.wantStatus(r.ID, data.StatusApproved)
		if stored.DecidedBy != f.tess.Name || !stored.DecidedAt.Equal(start) {
			t.Errorf("decided by %q at %v, want Tess at %v", stored.DecidedBy, stored.DecidedAt, start)
		}
		row := f.row(f.rupsjes, f.dewi, wednesday)
		if row.Source != data.SourceRequest || row.Expected != morning {
			t.Errorf("Dewi's row on Wednesday %+v, want the approved request's 08:00–12:00", row)
		}
		if queue, _ := f.sys.OpenRequests(t.Context(), f.rupsjes.ID); len(queue) != 0 {
			t.Errorf("queue after approval %+v", queue)
		}
		f.refused(data.ErrNotOpen, func() error { return f.as(f.tess).ApproveRequest(t.Context(), r.ID, f.tess.Name) })
		f.wantCredit(f.dewi, 0, 240)
	})

	run(t, "R7_RejectGivesTheCreditBack", newStore, func(t *testing.T, f *fixture) {
		r := f.submit(f.tess, f.dewiDraft(wednesday), f.dewiCredit())
		f.written(f.manager, data.AuditRejectRequest, func() error {
			return f.as(f.manager).RejectRequest(t.Context(), r.ID, f.manager.Name, "vol")
		})
		if got := f.wantStatus(r.ID, data.StatusRejected); got.Reason != "vol" {
			t.Errorf("rejection reason %q", got.Reason)
		}
		f.wantCredit(f.dewi, 0, 0)
		if f.onList(f.rupsjes, f.dewi, wednesday) {
			t.Error("a rejected request put Dewi on the list")
		}
		// The credit given back pays again (re-reserved).
		again := f.submit(f.tess, f.dewiDraft(wednesday), f.absenceEntry(f.dewi))
		f.wantCredit(f.dewi, 240, 0)
		f.wantStatus(again.ID, data.StatusOpen)
	})

	run(t, "R7_CancelGivesTheCreditBack", newStore, func(t *testing.T, f *fixture) {
		r := f.submit(f.tess, f.dewiDraft(wednesday), f.dewiCredit())
		f.written(f.tess, data.AuditCancelRequest, func() error {
			return f.as(f.tess).CancelRequest(t.Context(), r.ID, f.tess.Name, "ouder belde af")
		})
		f.wantStatus(r.ID, data.StatusCancelled)
		f.wantCredit(f.dewi, 0, 0)
		f.refused(data.ErrNotOpen, func() error { return f.as(f.tess).CancelRequest(t.Context(), r.ID, f.tess.Name, "nog eens") })
	})

	run(t, "R6_UndoDecisionWithinTheWindow", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		r := f.submit(f.tess, f.dewiDraft(wednesday), f.dewiCredit())
		f.must(staff.ApproveRequest(t.Context(), r.ID, f.tess.Name), "ApproveRequest")
		f.written(f.tess, data.AuditUndoDecision, func() error { return staff.UndoDecision(t.Context(), r.ID, f.tess.Name) })
		f.wantStatus(r.ID, data.StatusOpen)
		f.wantCredit(f.dewi, 240, 0) // spent becomes reserved again
		if f.onList(f.rupsjes, f.dewi, wednesday) {
			t.Error("Dewi is still on the list after the approval was undone")
		}
		f.must(staff.ApproveRequest(t.Context(), r.ID, f.tess.Name), "ApproveRequest")
		f.clock.add(data.UndoWindow + time.Second)
		f.refused(data.ErrUndoExpired, func() error { return staff.UndoDecision(t.Context(), r.ID, f.tess.Name) })
		f.wantStatus(r.ID, data.StatusApproved)
		f.wantCredit(f.dewi, 0, 240)
	})

	run(t, "R1_Window", newStore, func(t *testing.T, f *fixture) {
		d := f.dewiDraft(nextWeek.AddDays(1)) // 8 days ahead: the parents' window
		p, err := f.as(f.tess).PreviewRequest(t.Context(), d)
		f.must(err, "PreviewRequest")
		if !errors.Is(p.Problem, data.ErrOutsideWindow) {
			t.Errorf("staff's preview 7 days ahead: problem %v, want outside the window", p.Problem)
		}
		f.refused(data.ErrOutsideWindow, func() error {
			_, err := f.as(f.tess).SubmitRequest(t.Context(), d, data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductKDV})
			return err
		})
		// The office registers it on the parents' behalf.
		d.Channel, d.By = "", f.office.Name
		r := f.submit(f.office, d, data.CreditEntry{})
		if r.Channel != data.ChannelOffice {
			t.Errorf("the office's request came through %q", r.Channel)
		}
	})

	run(t, "R_Capacity", newStore, func(t *testing.T, f *fixture) {
		d := f.dewiDraft(thursday) // Anna, Bram and Cas fill Rupsjes' 3 places
		p, err := f.as(f.tess).PreviewRequest(t.Context(), d)
		f.must(err, "PreviewRequest")
		if p.Occupancy != 3 || p.Capacity != 3 || !p.OverCapacity() {
			t.Errorf("preview occupancy %d/%d, want 3/3: over capacity", p.Occupancy, p.Capacity)
		}
		f.refused(data.ErrOverCapacity, func() error {
			_, err := f.as(f.tess).SubmitRequest(t.Context(), d, p.Proposal.Payment)
			return err
		})
		// Told it goes over, the group may still ask for it.
		over := d
		over.OverCapacity = true
		f.written(f.tess, data.AuditSubmitRequest, func() error {
			_, err := f.as(f.tess).SubmitRequest(t.Context(), over, p.Proposal.Payment)
			return err
		})
		f.must(f.as(f.tess).CancelRequest(t.Context(), f.openRequest(f.dewi).ID, f.tess.Name, "toch niet"), "CancelRequest")
		// An absence frees a place.
		f.must(f.as(f.tess).MarkAbsent(t.Context(), data.DayEdit{Date: today, GroupID: f.rupsjes.ID, ChildID: f.cas.ID, By: f.tess.Name}, data.AbsenceSick), "MarkAbsent")
		if _, err := f.as(f.tess).ReportAbsence(t.Context(), data.AbsenceReport{ChildID: f.cas.ID, Date: thursday, Reason: data.AbsenceSick, By: f.tess.Name}); err != nil {
			t.Fatal(err)
		}
		p, err = f.as(f.tess).PreviewRequest(t.Context(), d)
		f.must(err, "PreviewRequest")
		if p.Occupancy != 2 || p.Problem != nil {
			t.Errorf("with Cas absent: occupancy %d, problem %v; want 2 and none", p.Occupancy, p.Problem)
		}
	})

	run(t, "R_Duplicates", newStore, func(t *testing.T, f *fixture) {
		f.submit(f.tess, f.dewiDraft(wednesday), data.CreditEntry{})
		f.refused(data.ErrDuplicate, func() error {
			_, err := f.as(f.tess).SubmitRequest(t.Context(), f.dewiDraft(wednesday), data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductKDV})
			return err
		})
		anna := f.dewiDraft(wednesday)
		anna.ChildID = f.anna.ID
		f.refused(data.ErrAlreadyExpected, func() error {
			_, err := f.as(f.tess).SubmitRequest(t.Context(), anna, data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductKDV})
			return err
		})
	})
}
