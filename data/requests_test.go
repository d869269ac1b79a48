package data_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
)

// refusalCode is the code of the refusal err carries, or "".
func refusalCode(err error) string {
	var r *data.Refusal
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}

// TestChannelFor_R1_FollowsTheRole: the channel is never staff's choice.
func TestChannelFor_R1_FollowsTheRole(t *testing.T) {
	s := data.DefaultSettings() // parents' window 28 down to 4 days
	for _, tc := range []struct {
		role   data.Role
		asked  data.Channel
		before int
		want   data.Channel
		err    error
	}{
		{data.RoleStaff, "", 10, data.ChannelGroup, nil},
		{data.RoleStaff, "", 2, data.ChannelGroup, nil},
		{data.RoleStaff, data.ChannelOffice, 10, "", data.ErrForbidden},
		{data.RoleOffice, "", 10, data.ChannelOffice, nil},
		{data.RoleOffice, "", 2, data.ChannelOffice, nil},
		{data.RoleOffice, data.ChannelGroup, 2, "", data.ErrForbidden},
		{data.RoleManager, "", 10, data.ChannelOffice, nil},
		{data.RoleManager, "", 4, data.ChannelOffice, nil},
		{data.RoleManager, "", 3, data.ChannelGroup, nil},
		{data.RoleManager, data.ChannelGroup, 10, data.ChannelGroup, nil},
		{"", data.ChannelOffice, 2, data.ChannelOffice, nil},
		{data.RoleManager, data.ChannelParent, 10, "", data.ErrInvalid},
	} {
		got, err := data.ChannelFor(tc.role, tc.asked, tc.before, s)
		if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("ChannelFor(%q, %q, %d) = %q, %v; want %q, %v", tc.role, tc.asked, tc.before, got, err, tc.want, tc.err)
		}
	}
}

// TestRequestWindow_R1_RefusesWithCodes: every answer of the window names
// its code, so the window can say it in the user's language.
func TestRequestWindow_R1_RefusesWithCodes(t *testing.T) {
	s := data.DefaultSettings()
	today := data.NewDate(2026, time.March, 10)
	for _, tt := range []struct {
		ahead   int
		channel data.Channel
		code    string
		kind    error
	}{
		{-1, data.ChannelGroup, data.RefuseDayPassed, data.ErrInvalid},
		{4, data.ChannelGroup, data.RefuseParentsWindow, data.ErrOutsideWindow},
		{3, data.ChannelOffice, data.RefuseGroupWindow, data.ErrOutsideWindow},
		{29, data.ChannelOffice, data.RefuseWindowNotOpen, data.ErrOutsideWindow},
		{28, data.ChannelOffice, "", nil},
		{3, data.ChannelGroup, "", nil},
	} {
		err := data.RequestWindow(today, today.AddDays(tt.ahead), tt.channel, s)
		if got := refusalCode(err); got != tt.code || !errors.Is(err, tt.kind) || (tt.kind == nil) != (err == nil) {
			t.Errorf("%s %d days ahead: %v (code %q), want code %q, kind %v", tt.channel, tt.ahead, err, got, tt.code, tt.kind)
		}
	}
	var we *data.WindowError
	err := data.RequestWindow(today, today.AddDays(29), data.ChannelOffice, s)
	if !errors.As(err, &we) || err.Error() != "Requests for 2026-04-08 open on 2026-03-11." {
		t.Errorf("window not open yet: %q", err)
	}
}

// TestCapacity_OneRuleForPreviewSubmitAndApproval: one more child than the
// places is over capacity; exactly full fits; going over needs a confirmation.
func TestCapacity_OneRuleForPreviewSubmitAndApproval(t *testing.T) {
	group := data.Group{ID: 1, Name: "Rupsjes", Care: data.KDV, Capacity: 12}
	day := data.NewDate(2026, time.March, 11)
	for _, tt := range []struct {
		name      string
		occupancy int
		confirmed bool
		over      bool
		refused   bool
	}{
		{"EmptyGroup", 0, false, false, false},
		{"OnePlaceLeftFillsTheGroup", 11, false, false, false},
		{"FullGroupGoesOver", 12, false, true, true},
		{"AlreadyOverGoesFurther", 14, false, true, true},
		{"ConfirmedGoesAhead", 12, true, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := data.OverCapacity(tt.occupancy, group.Capacity); got != tt.over {
				t.Errorf("OverCapacity(%d, %d) = %v, want %v", tt.occupancy, group.Capacity, got, tt.over)
			}
			preview := data.RequestPreview{Occupancy: tt.occupancy, Capacity: group.Capacity}
			queued := data.QueueItem{Occupancy: tt.occupancy, Capacity: group.Capacity}
			if preview.OverCapacity() != tt.over || queued.OverCapacity() != tt.over {
				t.Errorf("preview says %v, approval queue says %v, want %v", preview.OverCapacity(), queued.OverCapacity(), tt.over)
			}
			err := data.CheckCapacity(group, day, tt.occupancy, tt.confirmed)
			if (err != nil) != tt.refused {
				t.Fatalf("CheckCapacity = %v, want refused %v", err, tt.refused)
			}
			if err == nil {
				return
			}
			if !errors.Is(err, data.ErrOverCapacity) || refusalCode(err) != data.RefuseOverCapacity {
				t.Errorf("%v is not an over-capacity refusal", err)
			}
			want := "12 of 12 places are taken in Rupsjes on 2026-03-11; confirm to request anyway."
			if tt.occupancy == 12 && err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		})
	}
}

// TestCheckPayment_R2_R5_R7: the store takes the payment the user accepted
// only while it is still the rules' proposal on the credit as it is now.
func TestCheckPayment_R2_R5_R7(t *testing.T) {
	spec := data.RequestSpec{Date: payDay, Minutes: 180, Product: data.ProductKDV}
	credit := absenceCredit(1, data.OriginKDVDay, data.ProductKDV, payDay.AddDays(-5), 120)
	bsoCredit := absenceCredit(2, data.OriginBSOSchoolDay, data.ProductBSOSchoolWeeks, payDay.AddDays(-5), 120)
	entries := []data.CreditEntry{credit, bsoCredit}
	proposed := data.Propose(spec, entries).Payment
	from := func(e data.CreditEntry, minutes int) data.Allocation {
		return data.Allocation{EntryID: e.ID, ExpiresOn: e.ExpiresOn, Origin: e.Origin, Minutes: minutes}
	}
	invoice := func(minutes int, allocs ...data.Allocation) data.Payment {
		return data.Payment{Allocations: allocs, InvoiceMinutes: minutes, InvoiceProduct: data.ProductKDV}
	}
	withReason := invoice(180)
	withReason.OverrideReason = "ouder wil het zo"
	overrideWithCredit := invoice(60, from(credit, 120))
	overrideWithCredit.OverrideReason = "ouder wil het zo"
	spent := credit
	spent.Reserved = 60
	for _, tt := range []struct {
		name    string
		pay     data.Payment
		entries []data.CreditEntry
		code    string
		changed bool
		kind    error
	}{
		{name: "R3_TheProposalIsTaken", pay: proposed, entries: entries},
		{name: "R2_MoreThanTheRequest", pay: invoice(120, from(credit, 120)), entries: entries, code: data.RefusePaymentTotal},
		{name: "R2_NegativeInvoice", pay: invoice(-60, from(credit, 120)), entries: entries, code: data.RefusePaymentTotal},
		{name: "V3_WrongInvoiceProduct", pay: data.Payment{Allocations: proposed.Allocations, InvoiceMinutes: 60, InvoiceProduct: data.ProductQflexibel}, entries: entries, code: data.RefuseInvoiceProduct},
		{name: "R2_ZeroMinutesFromCredit", pay: invoice(180, from(credit, 0)), entries: entries, code: data.RefuseNoCreditMinutes},
		{name: "R5_CreditOfAnotherCareType", pay: invoice(60, from(bsoCredit, 120)), entries: entries, code: data.RefuseCreditBlocked},
		{name: "R7_CreditGoneMeanwhile", pay: proposed, entries: []data.CreditEntry{bsoCredit}, changed: true, kind: data.ErrNotFound},
		{name: "R7_CreditTakenMeanwhile", pay: proposed, entries: []data.CreditEntry{spent, bsoCredit}, changed: true, kind: data.ErrOverdrawn},
		{name: "R3_OverrideInvoicesAll", pay: withReason, entries: entries},
		{name: "R3_OverrideWithCredit", pay: overrideWithCredit, entries: entries, code: data.RefuseOverrideWithCredit},
		{name: "R3_InvoiceWithoutReason", pay: invoice(180), entries: entries, code: data.RefuseOverrideReason},
		{name: "R4_NotTheProposal", pay: invoice(120, from(credit, 60)), entries: entries, changed: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := data.CheckPayment(spec, tt.pay, tt.entries)
			var pc *data.PaymentChangedError
			switch {
			case tt.changed:
				if !errors.As(err, &pc) || !errors.Is(err, data.ErrCreditChanged) || refusalCode(err) != data.RefuseCreditChanged {
					t.Fatalf("err = %v, want the credit changed", err)
				}
				if want := data.Propose(spec, tt.entries); !pc.Fresh.Equal(want.Payment) {
					t.Errorf("fresh proposal %+v, want %+v", pc.Fresh.Payment, want.Payment)
				}
				if tt.kind != nil && !errors.Is(err, tt.kind) {
					t.Errorf("err = %v, want it to say %v", err, tt.kind)
				}
			case tt.code == "" && err != nil:
				t.Fatalf("err = %v, want the payment taken", err)
			case refusalCode(err) != tt.code:
				t.Fatalf("err = %v (code %q), want code %q", err, refusalCode(err), tt.code)
			}
		})
	}
}

func request(status data.RequestStatus, day data.Date) data.Request {
	r := data.Request{ID: 7, Status: status}
	r.Date = day
	return r
}

// TestCheckDecide_R6: only an open request is approved or rejected.
func TestCheckDecide_R6(t *testing.T) {
	for _, st := range []data.RequestStatus{data.StatusOpen, data.StatusApproved, data.StatusRejected, data.StatusCancelled} {
		err := data.CheckDecide(request(st, payDay))
		if open := st == data.StatusOpen; (err == nil) != open || !open && (!errors.Is(err, data.ErrNotOpen) || refusalCode(err) != data.RefuseNotOpen) {
			t.Errorf("%s: %v", st, err)
		}
	}
}

// TestCheckCancel_R7: an open request can always be withdrawn, an approved
// one until its day has gone by, a decided-against one never.
func TestCheckCancel_R7(t *testing.T) {
	for _, tt := range []struct {
		status data.RequestStatus
		ahead  int
		code   string
	}{
		{data.StatusOpen, -3, ""},
		{data.StatusOpen, 2, ""},
		{data.StatusApproved, 2, ""},
		{data.StatusApproved, 0, ""}, // today: the care is still to be given
		{data.StatusApproved, -1, data.RefuseCancelPast},
		{data.StatusRejected, 2, data.RefuseNotOpen},
		{data.StatusCancelled, 2, data.RefuseNotOpen},
	} {
		err := data.CheckCancel(request(tt.status, payDay.AddDays(tt.ahead)), payDay)
		if got := refusalCode(err); got != tt.code || (tt.code == "") != (err == nil) {
			t.Errorf("%s request %d days ahead: %v, want code %q", tt.status, tt.ahead, err, tt.code)
		}
	}
}

// TestCheckUndo_R7: the one who decided may take it back within UndoWindow, nobody else and never later.
func TestCheckUndo_R7(t *testing.T) {
	decidedAt := time.Date(2026, time.March, 20, 9, 0, 0, 0, time.Local)
	decided := func(st data.RequestStatus) data.Request {
		r := request(st, payDay)
		r.DecidedBy, r.DecidedAt = "Anouk", decidedAt
		return r
	}
	for _, tt := range []struct {
		name  string
		r     data.Request
		by    string
		after time.Duration
		code  string
	}{
		{"ApprovalAtOnce", decided(data.StatusApproved), "Anouk", time.Second, ""},
		{"RejectionAtOnce", decided(data.StatusRejected), " Anouk ", time.Second, ""},
		{"OnTheLastMoment", decided(data.StatusApproved), "Anouk", data.UndoWindow, ""},
		{"JustTooLate", decided(data.StatusApproved), "Anouk", data.UndoWindow + time.Nanosecond, data.RefuseUndoExpired},
		{"SomeoneElse", decided(data.StatusApproved), "Bram", time.Second, data.RefuseUndoExpired},
		{"StillOpen", request(data.StatusOpen, payDay), "Anouk", time.Second, data.RefuseNotDecided},
		{"Cancelled", decided(data.StatusCancelled), "Anouk", time.Second, data.RefuseNotDecided},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := data.CheckUndo(tt.r, tt.by, decidedAt.Add(tt.after))
			if got := refusalCode(err); got != tt.code || (tt.code == "") != (err == nil) {
				t.Fatalf("%v, want code %q", err, tt.code)
			}
			if tt.code == data.RefuseUndoExpired && !errors.Is(err, data.ErrUndoExpired) {
				t.Errorf("%v is not ErrUndoExpired", err)
			}
		})
	}
}

// TestCheckDraftParties: a draft names who registers it, through which
// channel, for which day, and a child of the group's location.
func TestCheckDraftParties(t *testing.T) {
	child := data.Child{ID: 1, LocationID: 1, FirstName: "Dewi", LastName: "Jansen"}
	group := data.Group{ID: 1, LocationID: 1, Name: "Egeltjes", Care: data.KDV}
	draft := func(change func(*data.RequestDraft)) data.RequestDraft {
		d := data.RequestDraft{ChildID: 1, GroupID: 1, Date: payDay, Channel: data.ChannelGroup, By: "Anouk"}
		change(&d)
		return d
	}
	elsewhere := child
	elsewhere.LocationID = 2
	for _, tt := range []struct {
		name  string
		d     data.RequestDraft
		child data.Child
		code  string
	}{
		{"Complete", draft(func(*data.RequestDraft) {}), child, ""},
		{"ByTheOffice", draft(func(d *data.RequestDraft) { d.Channel = data.ChannelOffice }), child, ""},
		{"NobodyNamed", draft(func(d *data.RequestDraft) { d.By = "  " }), child, data.RefuseNoRegistrar},
		{"TheParentsChannel", draft(func(d *data.RequestDraft) { d.Channel = data.ChannelParent }), child, data.RefuseChannel},
		{"NoDay", draft(func(d *data.RequestDraft) { d.Date = data.Date{} }), child, data.RefuseNoDay},
		{"AnotherLocationsChild", draft(func(*data.RequestDraft) {}), elsewhere, data.RefuseChildOfOtherLocation},
	} {
		err := data.CheckDraftParties(tt.d, tt.child, group)
		if got := refusalCode(err); got != tt.code || (tt.code == "") != (err == nil) {
			t.Errorf("%s: %v, want code %q", tt.name, err, tt.code)
		}
	}
}

// TestCheckDraftDay_A1_S2_V3: the rules on the draft's day and the
// products each kind of day gives.
func TestCheckDraftDay_A1_S2_V3(t *testing.T) {
	child := data.Child{ID: 1, FirstName: "Dewi", LastName: "Jansen"}
	kdv := data.Group{ID: 1, Name: "Egeltjes", Care: data.KDV}
	bso := data.Group{ID: 2, Name: "Avonturiers", Care: data.BSO}
	kdvContract := data.Contract{ID: 1, ChildID: 1, GroupID: 1, Product: data.ProductKDV}
	flexContract := data.Contract{ID: 2, ChildID: 1, GroupID: 1, Product: data.ProductQflexibel}
	bsoContract := data.Contract{ID: 3, ChildID: 1, GroupID: 2, Product: data.ProductBSOSchoolWeeks}
	morning := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)}
	draft := func(p data.Product, times data.TimeRange) data.RequestDraft {
		return data.RequestDraft{ChildID: 1, Date: payDay, Times: times, Product: p}
	}
	day := func(g data.Group, cs ...data.Contract) data.DraftDay {
		return data.DraftDay{Child: child, Group: g, Contracts: cs}
	}
	with := func(f data.DraftDay, change func(*data.DraftDay)) data.DraftDay { change(&f); return f }
	for _, tt := range []struct {
		name     string
		d        data.RequestDraft
		day      data.DraftDay
		products []data.Product
		code     string
	}{
		{"KDVDay", draft(data.ProductKDV, morning), day(kdv, kdvContract), []data.Product{data.ProductKDV}, ""},
		{"KDVWithQflexibel", draft(data.ProductQflexibel, morning), day(kdv, kdvContract, flexContract), []data.Product{data.ProductKDV, data.ProductQflexibel}, ""},
		{"QflexibelWithoutItsContract", draft(data.ProductQflexibel, morning), day(kdv, kdvContract), []data.Product{data.ProductKDV}, data.RefuseProduct},
		{"BSOSchoolDay", draft(data.ProductBSOSchoolDay, morning), day(bso, bsoContract), []data.Product{data.ProductBSOSchoolDay}, ""},
		{"BSOHolidayDay", draft(data.ProductBSOHoliday, morning), with(day(bso, bsoContract), func(f *data.DraftDay) { f.HolidayDay = true }), []data.Product{data.ProductBSOHoliday}, ""},
		{"S2_StudyDayIsNoSchoolAfternoon", draft(data.ProductBSOSchoolDay, morning), with(day(bso, bsoContract), func(f *data.DraftDay) { f.StudyDay = true }), []data.Product{data.ProductStudyDay}, data.RefuseProduct},
		{"S2_CancelledStudyDay", draft(data.ProductStudyDay, morning), with(day(bso, bsoContract), func(f *data.DraftDay) { f.StudyDay, f.StudyDayCancelled = true, true }), []data.Product{data.ProductStudyDay}, data.RefuseStudyDayCancelled},
		{"ClosedDay", draft(data.ProductKDV, morning), with(day(kdv, kdvContract), func(f *data.DraftDay) { f.Closed, f.ClosedReason = true, "Tweede paasdag" }), nil, data.RefuseRequestClosedDay},
		{"NoContractInTheGroup", draft(data.ProductKDV, morning), day(kdv), nil, data.RefuseNoContract},
		{"ZeroHours", draft(data.ProductKDV, data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(8, 0)}), day(kdv, kdvContract), []data.Product{data.ProductKDV}, data.RefuseNoHours},
		{"OneMinute", draft(data.ProductKDV, data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(8, 1)}), day(kdv, kdvContract), []data.Product{data.ProductKDV}, ""},
		{"EndsBeforeItStarts", draft(data.ProductKDV, data.TimeRange{From: data.NewClock(12, 0), Until: data.NewClock(8, 0)}), day(kdv, kdvContract), []data.Product{data.ProductKDV}, data.RefuseEndsBeforeStart},
		{"A1_AlreadyOnTheList", draft(data.ProductKDV, morning), with(day(kdv, kdvContract), func(f *data.DraftDay) { f.Listed = true }), []data.Product{data.ProductKDV}, data.RefuseAlreadyExpected},
		{"AlreadyRequested", draft(data.ProductKDV, morning), with(day(kdv, kdvContract), func(f *data.DraftDay) { f.LiveRequest = 4 }), []data.Product{data.ProductKDV}, data.RefuseDuplicate},
	} {
		t.Run(tt.name, func(t *testing.T) {
			products, err := data.CheckDraftDay(tt.d, tt.day)
			if got := refusalCode(err); got != tt.code || (tt.code == "") != (err == nil) {
				t.Errorf("%v, want code %q", err, tt.code)
			}
			if !slices.Equal(products, tt.products) {
				t.Errorf("products %v, want %v", products, tt.products)
			}
		})
	}
}
