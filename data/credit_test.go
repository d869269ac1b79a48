package data_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
)

// The payment tests ask for care on Friday 20 March 2026.
var payDay = data.NewDate(2026, time.March, 20)

// absenceCredit is absence credit of an origin earned on a day, expiring 28 days later.
func absenceCredit(id data.ID, origin data.CreditOrigin, contract data.Product, earned data.Date, minutes int) data.CreditEntry {
	return data.CreditEntry{ID: id, ChildID: 1, Origin: origin, ContractProduct: contract, Minutes: minutes,
		EarnedOn: earned, ExpiresOn: earned.AddDays(28)}
}

// flexCredit is a contract year's flexible credit of a product.
func flexCredit(id data.ID, p data.Product, from, to data.Date, minutes int) data.CreditEntry {
	return data.CreditEntry{ID: id, ChildID: 1, Origin: data.OriginContract, Product: p, Minutes: minutes,
		EarnedOn: from, ValidFrom: from, ExpiresOn: to}
}

type alloc struct {
	id      data.ID
	minutes int
}

func allocsOf(p data.Proposal) []alloc {
	var out []alloc
	for _, a := range p.Allocations {
		out = append(out, alloc{a.EntryID, a.Minutes})
	}
	return out
}

func blockedOf(p data.Proposal) map[data.ID]data.BlockReason {
	out := map[data.ID]data.BlockReason{}
	for _, b := range p.Blocked {
		out[b.Entry.ID] = b.Reason
	}
	return out
}

func TestPropose_PaymentRules(t *testing.T) {
	kdvDay := func(id data.ID, back, minutes int) data.CreditEntry {
		return absenceCredit(id, data.OriginKDVDay, data.ProductKDV, payDay.AddDays(-back), minutes)
	}
	schoolDay := func(id data.ID, contract data.Product, back, minutes int) data.CreditEntry {
		return absenceCredit(id, data.OriginBSOSchoolDay, contract, payDay.AddDays(-back), minutes)
	}
	holidayDay := func(id data.ID, back, minutes int) data.CreditEntry {
		return absenceCredit(id, data.OriginBSOHolidayDay, data.ProductBSO52Weeks, payDay.AddDays(-back), minutes)
	}
	year := func(id data.ID, p data.Product, minutes int) data.CreditEntry {
		return flexCredit(id, p, data.NewDate(2026, time.January, 1), data.NewDate(2026, time.December, 31), minutes)
	}
	reserved := kdvDay(1, 5, 300)
	reserved.Reserved = 240
	withdrawn := kdvDay(1, 5, 300)
	withdrawn.Withdrawn = true

	tests := []struct {
		name        string
		product     data.Product
		minutes     int
		entries     []data.CreditEntry
		want        []alloc
		wantInvoice int
		wantProduct data.Product
		wantBlocked map[data.ID]data.BlockReason
	}{
		{name: "R2_NoCreditAllOnInvoice", product: data.ProductKDV, minutes: 180,
			wantInvoice: 180, wantProduct: data.ProductKDV},
		{name: "R3_AbsenceCreditPaysAll", product: data.ProductKDV, minutes: 180,
			entries: []data.CreditEntry{kdvDay(1, 5, 300)}, want: []alloc{{1, 180}}, wantProduct: data.ProductKDV},
		{name: "R2_CombinationCreditThenInvoice", product: data.ProductKDV, minutes: 180,
			entries: []data.CreditEntry{kdvDay(1, 5, 120)}, want: []alloc{{1, 120}}, wantInvoice: 60, wantProduct: data.ProductKDV},
		{name: "R4_OldestFirstAcrossEntries", product: data.ProductKDV, minutes: 180,
			entries:     []data.CreditEntry{kdvDay(1, 2, 120), kdvDay(2, 20, 120), kdvDay(3, 10, 120)},
			want:        []alloc{{2, 120}, {3, 60}},
			wantProduct: data.ProductKDV},
		{name: "R4_SameExpiryEarlierEarnedThenLowerID", product: data.ProductKDV, minutes: 150,
			entries: []data.CreditEntry{
				{ID: 9, Origin: data.OriginKDVDay, Minutes: 60, EarnedOn: payDay.AddDays(-3), ExpiresOn: payDay.AddDays(10)},
				{ID: 7, Origin: data.OriginKDVDay, Minutes: 60, EarnedOn: payDay.AddDays(-3), ExpiresOn: payDay.AddDays(10)},
				{ID: 8, Origin: data.OriginKDVDay, Minutes: 60, EarnedOn: payDay.AddDays(-9), ExpiresOn: payDay.AddDays(10)},
			},
			want: []alloc{{8, 60}, {7, 60}, {9, 30}}, wantProduct: data.ProductKDV},
		{name: "R7_ReservedCreditIsNotOffered", product: data.ProductKDV, minutes: 120,
			entries: []data.CreditEntry{reserved}, want: []alloc{{1, 60}}, wantInvoice: 60, wantProduct: data.ProductKDV},
		{name: "T1_WithdrawnCreditPaysNothing", product: data.ProductKDV, minutes: 120,
			entries: []data.CreditEntry{withdrawn}, wantInvoice: 120, wantProduct: data.ProductKDV},
		{name: "R5_QflexibelNotForRegularCare", product: data.ProductKDV, minutes: 120,
			entries: []data.CreditEntry{year(5, data.ProductQflexibel, 2400)}, wantInvoice: 120, wantProduct: data.ProductKDV,
			wantBlocked: map[data.ID]data.BlockReason{5: data.BlockOtherProduct}},
		{name: "R3_R5_QflexibelCareAbsenceCreditFirstThenFlexible", product: data.ProductQflexibel, minutes: 180,
			entries: []data.CreditEntry{year(5, data.ProductQflexibel, 2400), kdvDay(1, 5, 60)},
			want:    []alloc{{1, 60}, {5, 120}}, wantProduct: data.ProductQflexibel},
		{name: "R5_HolidayCreditNotForSchoolDay", product: data.ProductBSOSchoolDay, minutes: 210,
			entries: []data.CreditEntry{year(6, data.ProductBSOHoliday, 6600), schoolDay(2, data.ProductBSOSchoolWeeks, 3, 120)},
			want:    []alloc{{2, 120}}, wantInvoice: 90, wantProduct: data.ProductBSOSchoolDay,
			wantBlocked: map[data.ID]data.BlockReason{6: data.BlockOtherProduct}},
		{name: "T3_OtherCareType", product: data.ProductBSOSchoolDay, minutes: 210,
			entries: []data.CreditEntry{kdvDay(1, 5, 600)}, wantInvoice: 210, wantProduct: data.ProductBSOSchoolDay,
			wantBlocked: map[data.ID]data.BlockReason{1: data.BlockOtherCare}},
		{name: "T3_ExpiresBeforeTheDay", product: data.ProductKDV, minutes: 120,
			entries: []data.CreditEntry{kdvDay(1, 29, 600), kdvDay(2, 28, 60)}, want: []alloc{{2, 60}}, wantInvoice: 60,
			wantProduct: data.ProductKDV, wantBlocked: map[data.ID]data.BlockReason{1: data.BlockExpiresBeforeTheDay}},
		{name: "T3_OutsideTheWindowOfFlexibleCredit", product: data.ProductQflexibel, minutes: 120,
			entries:     []data.CreditEntry{flexCredit(5, data.ProductQflexibel, payDay.AddDays(1), payDay.AddDays(366), 2400)},
			wantInvoice: 120, wantProduct: data.ProductQflexibel,
			wantBlocked: map[data.ID]data.BlockReason{5: data.BlockOutsideWindow}},
		{name: "T2_SchoolWeeksSchoolDayCreditNotForHolidayDay", product: data.ProductBSOHoliday, minutes: 660,
			entries:     []data.CreditEntry{schoolDay(2, data.ProductBSOSchoolWeeks, 3, 210)},
			wantInvoice: 660, wantProduct: data.ProductExtraHolidayDay,
			wantBlocked: map[data.ID]data.BlockReason{2: data.BlockSchoolDayCredit}},
		{name: "T2_FiftyTwoWeeksSchoolDayCreditNotForHolidayDay", product: data.ProductBSOHoliday, minutes: 660,
			entries:     []data.CreditEntry{schoolDay(2, data.ProductBSO52Weeks, 3, 210)},
			wantInvoice: 660, wantProduct: data.ProductExtraHolidayDay,
			wantBlocked: map[data.ID]data.BlockReason{2: data.BlockSchoolDayCredit}},
		{name: "T2_FiftyTwoWeeksHolidayDayCreditNotForSchoolDay", product: data.ProductBSOSchoolDay, minutes: 210,
			entries: []data.CreditEntry{holidayDay(3, 10, 660), schoolDay(2, data.ProductBSO52Weeks, 3, 120)},
			want:    []alloc{{2, 120}}, wantInvoice: 90, wantProduct: data.ProductBSOSchoolDay,
			wantBlocked: map[data.ID]data.BlockReason{3: data.BlockHolidayDayCredit}},
		{name: "S2_StudyDayPaidFromHolidayDayCreditNotSchoolDayCredit", product: data.ProductStudyDay, minutes: 660,
			entries: []data.CreditEntry{holidayDay(3, 10, 300), schoolDay(2, data.ProductBSO52Weeks, 3, 210),
				schoolDay(4, data.ProductBSOSchoolWeeks, 2, 210), year(6, data.ProductBSOHoliday, 6600)},
			want: []alloc{{3, 300}}, wantInvoice: 360, wantProduct: data.ProductStudyDay,
			wantBlocked: map[data.ID]data.BlockReason{2: data.BlockSchoolDayCredit, 4: data.BlockSchoolDayCredit, 6: data.BlockOtherProduct}},
		{name: "V1_HolidayCreditFirstThenAbsenceCredit", product: data.ProductBSOHoliday, minutes: 660,
			entries: []data.CreditEntry{holidayDay(3, 10, 660), year(6, data.ProductBSOHoliday, 600)},
			want:    []alloc{{6, 600}, {3, 60}}, wantProduct: data.ProductExtraHolidayDay},
		{name: "V3_NoHolidayContractAbsenceCreditOfHolidayDay", product: data.ProductBSOHoliday, minutes: 660,
			entries: []data.CreditEntry{holidayDay(3, 10, 660)}, want: []alloc{{3, 660}}, wantProduct: data.ProductExtraHolidayDay},
		{name: "V3_NoCreditExtraHolidayDayOnInvoice", product: data.ProductBSOHoliday, minutes: 660,
			wantInvoice: 660, wantProduct: data.ProductExtraHolidayDay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := data.Propose(data.RequestSpec{Date: payDay, Minutes: tt.minutes, Product: tt.product}, tt.entries)
			if got := allocsOf(p); !slices.Equal(got, tt.want) {
				t.Errorf("allocations %v, want %v", got, tt.want)
			}
			if p.InvoiceMinutes != tt.wantInvoice || p.InvoiceProduct != tt.wantProduct {
				t.Errorf("invoice %d min of %s, want %d of %s", p.InvoiceMinutes, p.InvoiceProduct, tt.wantInvoice, tt.wantProduct)
			}
			if p.CreditMinutes()+p.InvoiceMinutes != tt.minutes {
				t.Errorf("credit %d + invoice %d != request %d", p.CreditMinutes(), p.InvoiceMinutes, tt.minutes)
			}
			got := blockedOf(p)
			if len(got) != len(tt.wantBlocked) {
				t.Errorf("blocked %v, want %v", got, tt.wantBlocked)
			}
			for id, reason := range tt.wantBlocked {
				if got[id] != reason {
					t.Errorf("entry %d blocked by %q, want %q", id, got[id], reason)
				}
			}
		})
	}
}

func TestPropose_R3_InvoiceAnywayKeepsReason(t *testing.T) {
	p := data.Propose(data.RequestSpec{Date: payDay, Minutes: 90, Product: data.ProductBSOHoliday}, nil)
	pay := p.InvoiceAnyway(90, "ouder wil het zo")
	if pay.InvoiceMinutes != 90 || pay.InvoiceProduct != data.ProductExtraHolidayDay || pay.OverrideReason != "ouder wil het zo" || len(pay.Allocations) != 0 {
		t.Fatalf("invoice anyway = %+v", pay)
	}
}

// The hours of the contracts' days.
var (
	kdvTimes = data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
	bsoTimes = data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 30)}
)

// days are contract days with the same hours on each weekday.
func days(times data.TimeRange, wds ...time.Weekday) []data.ContractDay {
	out := make([]data.ContractDay, len(wds))
	for i, wd := range wds {
		out[i] = data.ContractDay{Weekday: wd, Times: times}
	}
	return out
}

// kdvContract is a KDV contract of child 1 in group 1 with Wednesdays and Fridays.
var kdvContract = data.Contract{ID: 3, ChildID: 1, GroupID: 1, Product: data.ProductKDV,
	Days: days(kdvTimes, time.Wednesday, time.Friday), Start: data.NewDate(2025, time.January, 1)}

func TestEarnCredit_T1(t *testing.T) {
	s := data.DefaultSettings() // 24 hours' notice, at most 40 hours, 28 days
	careStart := payDay.Time(kdvTimes.From, time.Local)
	bso := data.Contract{ID: 4, ChildID: 1, GroupID: 2, Product: data.ProductBSOSchoolWeeks, Days: days(bsoTimes, time.Friday)}
	tests := []struct {
		name       string
		absence    data.Absence
		balance    int
		wantMin    int
		wantOrigin data.CreditOrigin
		wantNone   data.NoCreditReason
	}{
		{name: "InTimeEarnsTheMissedCare", absence: data.Absence{Date: payDay, Expected: kdvTimes, Source: data.SourceContract,
			Contract: kdvContract, ReportedAt: careStart.Add(-48 * time.Hour)}, wantMin: 630, wantOrigin: data.OriginKDVDay},
		{name: "ExactlyTheNoticeIsInTime", absence: data.Absence{Date: payDay, Expected: kdvTimes, Source: data.SourceContract,
			Contract: kdvContract, ReportedAt: careStart.Add(-24 * time.Hour)}, wantMin: 630, wantOrigin: data.OriginKDVDay},
		{name: "AMinuteLateEarnsNothing", absence: data.Absence{Date: payDay, Expected: kdvTimes, Source: data.SourceContract,
			Contract: kdvContract, ReportedAt: careStart.Add(-24*time.Hour + time.Minute)}, wantNone: data.NoCreditLate},
		{name: "NearTheMaximumEarnsWhatFits", absence: data.Absence{Date: payDay, Expected: kdvTimes, Source: data.SourceContract,
			Contract: kdvContract, ReportedAt: careStart.Add(-72 * time.Hour)}, balance: 40*60 - 100, wantMin: 100, wantOrigin: data.OriginKDVDay},
		{name: "AtTheMaximumEarnsNothing", absence: data.Absence{Date: payDay, Expected: kdvTimes, Source: data.SourceContract,
			Contract: kdvContract, ReportedAt: careStart.Add(-72 * time.Hour)}, balance: 40 * 60, wantNone: data.NoCreditAtMaximum},
		{name: "ExtraCareDayEarnsNothing", absence: data.Absence{Date: payDay, Expected: kdvTimes, Source: data.SourceRequest,
			ReportedAt: careStart.Add(-72 * time.Hour)}, wantNone: data.NoCreditNotContract},
		{name: "BSOSchoolDayPot", absence: data.Absence{Date: payDay, Expected: bsoTimes, Source: data.SourceContract,
			Contract: bso, ReportedAt: careStart.Add(-72 * time.Hour)}, wantMin: int(bsoTimes.Until - bsoTimes.From), wantOrigin: data.OriginBSOSchoolDay},
		{name: "BSOHolidayDayPot", absence: data.Absence{Date: payDay, Expected: s.HolidayDay, Source: data.SourceContract,
			Contract: bso, HolidayDay: true, ReportedAt: careStart.Add(-72 * time.Hour)}, wantMin: 660, wantOrigin: data.OriginBSOHolidayDay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, none := data.EarnCredit(tt.absence, tt.balance, s)
			if none != tt.wantNone {
				t.Fatalf("no-credit reason %q, want %q", none, tt.wantNone)
			}
			if tt.wantNone != "" {
				return
			}
			if e.Minutes != tt.wantMin || e.Origin != tt.wantOrigin {
				t.Errorf("earned %d min in %s, want %d in %s", e.Minutes, e.Origin, tt.wantMin, tt.wantOrigin)
			}
			if e.EarnedOn != payDay || e.ExpiresOn != payDay.AddDays(28) || e.ContractProduct != tt.absence.Contract.Product {
				t.Errorf("earned on %s expires %s contract product %s", e.EarnedOn, e.ExpiresOn, e.ContractProduct)
			}
		})
	}
}

func TestRequestWindow_R1(t *testing.T) {
	s := data.DefaultSettings() // parents from 28 down to 4 days ahead
	today := data.NewDate(2026, time.March, 10)
	tests := []struct {
		name    string
		ahead   int
		channel data.Channel
		mustBy  data.Channel // "" with wantErr: nobody yet
		wantErr error
	}{
		{"GroupToday", 0, data.ChannelGroup, "", nil},
		{"GroupThreeDaysAhead", 3, data.ChannelGroup, "", nil},
		{"GroupFourDaysAheadIsTheParents", 4, data.ChannelGroup, data.ChannelParent, data.ErrOutsideWindow},
		{"OfficeFourDaysAheadForTheParent", 4, data.ChannelOffice, "", nil},
		{"OfficeTwentyEightDaysAhead", 28, data.ChannelOffice, "", nil},
		{"OfficeThreeDaysAheadIsTheGroups", 3, data.ChannelOffice, data.ChannelGroup, data.ErrOutsideWindow},
		{"NobodyTwentyNineDaysAhead", 29, data.ChannelOffice, "", data.ErrOutsideWindow},
		{"NoPastDays", -1, data.ChannelGroup, "", data.ErrInvalid},
		{"ParentTenDaysAhead", 10, data.ChannelParent, "", nil},
		{"ParentFourDaysAhead", 4, data.ChannelParent, "", nil},
		{"ParentTwentyEightDaysAhead", 28, data.ChannelParent, "", nil},
		{"ParentThreeDaysAheadIsTheGroups", 3, data.ChannelParent, data.ChannelGroup, data.ErrOutsideWindow},
		{"ParentTwentyNineDaysAheadNobodyYet", 29, data.ChannelParent, "", data.ErrOutsideWindow},
		{"GroupTenDaysAheadIsTheParents", 10, data.ChannelGroup, data.ChannelParent, data.ErrOutsideWindow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := data.RequestWindow(today, today.AddDays(tt.ahead), tt.channel, s)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			var we *data.WindowError
			if errors.As(err, &we) && we.MustBy != tt.mustBy {
				t.Errorf("must be requested by %q, want %q", we.MustBy, tt.mustBy)
			}
			if tt.ahead == 29 && (we == nil || we.OpensOn != today.AddDays(1)) {
				t.Errorf("window error %+v, want it to open tomorrow", we)
			}
		})
	}
}

// The window's bounds are the organisation's settings, not the published 28 and 4.
func TestRequestWindow_R1FollowsTheSettings(t *testing.T) {
	s := data.DefaultSettings()
	s.ParentRequestFromDays, s.ParentRequestUntilDays = 14, 2
	today := data.NewDate(2026, time.March, 10)
	for _, tt := range []struct {
		ahead   int
		channel data.Channel
		mustBy  data.Channel
	}{
		{2, data.ChannelParent, ""}, {14, data.ChannelParent, ""}, {1, data.ChannelParent, data.ChannelGroup},
		{2, data.ChannelGroup, data.ChannelParent}, {1, data.ChannelGroup, ""}, {15, data.ChannelOffice, ""},
	} {
		err := data.RequestWindow(today, today.AddDays(tt.ahead), tt.channel, s)
		var we *data.WindowError
		switch {
		case tt.ahead == 15 && (!errors.As(err, &we) || we.OpensOn != today.AddDays(1)):
			t.Errorf("%d days ahead: %v, want the window to open tomorrow", tt.ahead, err)
		case tt.ahead != 15 && tt.mustBy == "" && err != nil:
			t.Errorf("%s %d days ahead: %v, want allowed", tt.channel, tt.ahead, err)
		case tt.mustBy != "" && (!errors.As(err, &we) || we.MustBy != tt.mustBy):
			t.Errorf("%s %d days ahead: %v, want it to be the %s's", tt.channel, tt.ahead, err, tt.mustBy)
		}
	}
}

func TestFlagOf_R6(t *testing.T) {
	s := data.DefaultSettings()
	today := data.NewDate(2026, time.March, 10)
	for _, tt := range []struct {
		ahead int
		want  data.RequestFlag
	}{{-2, data.FlagPast}, {-1, data.FlagPast}, {0, data.FlagNear}, {3, data.FlagNear}, {4, data.FlagNone}, {20, data.FlagNone}} {
		if got := data.FlagOf(today, today.AddDays(tt.ahead), s); got != tt.want {
			t.Errorf("%d days ahead: flag %q, want %q", tt.ahead, got, tt.want)
		}
	}
}

func TestPayment_R7_WithoutEntry(t *testing.T) {
	pay := data.Payment{Allocations: []data.Allocation{{EntryID: 1, Minutes: 120}, {EntryID: 2, Minutes: 60}, {EntryID: 1, Minutes: 30}},
		InvoiceMinutes: 15, InvoiceProduct: data.ProductKDV}
	got, moved := pay.WithoutEntry(1)
	if moved != 150 || got.InvoiceMinutes != 165 || len(got.Allocations) != 1 || got.Allocations[0].EntryID != 2 || got.InvoiceProduct != data.ProductKDV {
		t.Errorf("without entry 1: %+v, moved %d", got, moved)
	}
	if len(pay.Allocations) != 3 {
		t.Error("WithoutEntry changed the payment it was given")
	}
	if same, moved := pay.WithoutEntry(9); moved != 0 || !same.Equal(pay) {
		t.Errorf("without an entry it does not use: %+v, %d", same, moved)
	}
}

func TestCreditUses_R7(t *testing.T) {
	req := func(id data.ID, st data.RequestStatus, minutes ...int) data.Request {
		r := data.Request{ID: id, Status: st}
		r.Date, r.Product = payDay, data.ProductKDV
		for _, m := range minutes {
			r.Payment.Allocations = append(r.Payment.Allocations, data.Allocation{EntryID: 7, Minutes: m})
		}
		return r
	}
	requests := []data.Request{req(1, data.StatusApproved, 60, 30), req(2, data.StatusOpen, 45), req(3, data.StatusRejected, 90),
		req(4, data.StatusCancelled, 90), req(5, data.StatusApproved)}
	got := data.CreditUses(7, requests)
	want := []data.CreditUse{
		{RequestID: 1, Date: payDay, Status: data.StatusApproved, Product: data.ProductKDV, Minutes: 90},
		{RequestID: 2, Date: payDay, Status: data.StatusOpen, Product: data.ProductKDV, Minutes: 45},
	}
	if !slices.Equal(got, want) {
		t.Errorf("uses %+v, want %+v", got, want)
	}
}

// TestCreditSpentError_R7_CarriesItsRefusal: staff are told in their
// language how many hours taking the absence back bills.
func TestCreditSpentError_R7_CarriesItsRefusal(t *testing.T) {
	err := error(&data.CreditSpentError{AbsenceDate: payDay, Minutes: 150, Uses: []data.CreditUse{{RequestID: 1, Minutes: 90}, {RequestID: 2, Minutes: 60}}})
	var r *data.Refusal
	if !errors.Is(err, data.ErrCreditSpent) || !errors.As(err, &r) || r.Code != data.RefuseAbsenceCreditSpent || r.Args["Hours"] != "2:30" {
		t.Fatalf("refusal %+v of %v", r, err)
	}
	if want := "The absence of 2026-03-20 earned credit of which 2:30 hours already pay for extra care; taking the absence back bills those hours."; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}
