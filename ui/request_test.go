package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// The demo's groups, by ID.
const (
	demoBabies   data.ID = 1 // Rupsjes, KDV
	demoBSOYoung data.ID = 3 // Avonturiers, BSO
)

// freeChild returns a child with a contract in the group who is not expected there on day.
func freeChild(t *testing.T, db *boltstore.DB, group data.ID, day data.Date, want func(data.Child) bool) data.Child {
	t.Helper()
	list, err := db.DayList(t.Context(), group, day)
	if err != nil {
		t.Fatal(err)
	}
	children, err := db.RequestChildren(t.Context(), group, day)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range children {
		if !slices.ContainsFunc(list.Rows, func(r data.DayRow) bool { return r.Child.ID == c.ID }) && want(c) {
			return c
		}
	}
	t.Fatalf("no child of group %d free on %s", group, day)
	return data.Child{}
}

// earnCredit reports the child absent on its first contract day at least two days
// ahead (in time by the 24 hours' notice) and returns the record.
func earnCredit(t *testing.T, db *boltstore.DB, child data.ID) data.Attendance {
	t.Helper()
	today := data.DateOf(testNow)
	for ahead := 2; ahead < 14; ahead++ {
		a, err := db.ReportAbsence(t.Context(), data.AbsenceReport{ChildID: child, Date: today.AddDays(ahead), Reason: data.AbsenceDayOff, By: "office"})
		if err == nil && a.Credit != nil {
			return a
		}
	}
	t.Fatalf("child %d earned no credit", child)
	return data.Attendance{}
}

// fillRequest sets the form to a child, day and times as a user would.
func fillRequest(t *testing.T, f *requestForm, child data.Child, day data.Date, from, until string) {
	t.Helper()
	f.setDate(day) // the calendar's choice goes through setDate
	f.childSelect.SetSelected(child.Name())
	test.Type(f.from, from)
	test.Type(f.until, until)
}

func TestRequest_R1_R3_A2_StaffRequestsCreditFirstApprovalShowsOnList(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	thursday := data.DateOf(testNow).AddDays(1)
	child := freeChild(t, db, demoBabies, thursday, func(data.Child) bool { return true })
	credit := earnCredit(t, db, child.ID)
	if sh.approvalsTab.Text != "Goedkeuren aanvragen" {
		t.Fatalf("tab title %q before any request", sh.approvalsTab.Text)
	}

	test.Tap(sh.attendance.requestButton)
	f := sh.request
	if f == nil || f.dialog == nil {
		t.Fatal("Extra opvang aanvragen opened no form")
	}
	fillRequest(t, f, child, thursday, "08:00", "12:00")

	want := "Afwezigheidstegoed KDV-dagen: 4:00 uur, geldig t/m " + shortDate(credit.Credit.ExpiresOn)
	if f.proposal.Text != want {
		t.Fatalf("proposal %q, want the credit first: %q", f.proposal.Text, want)
	}
	if f.problem.Visible() || f.submit.Disabled() {
		t.Fatalf("problem %q shown, submit disabled %v", f.problem.Text, f.submit.Disabled())
	}
	if !f.invoiceAnyway.Visible() || f.reason.Visible() {
		t.Error("the invoice-anyway choice should be offered, its reason only once chosen")
	}

	// Choosing invoice anyway needs a reason before the request can be made (R3).
	test.Tap(f.invoiceAnyway)
	if !f.submit.Disabled() || !f.reason.Visible() || !strings.HasPrefix(f.proposal.Text, "Op rekening als KDV: 4:00 uur") {
		t.Fatalf("invoice anyway without reason: submit disabled %v, proposal %q", f.submit.Disabled(), f.proposal.Text)
	}
	test.Tap(f.invoiceAnyway)

	test.Tap(f.submit)
	if texts := overlayTexts(sh); !slices.Contains(texts, "De aanvraag wacht op goedkeuring onder Goedkeuren aanvragen.") {
		t.Fatalf("after requesting the top dialog shows %q", texts)
	}
	if sh.approvalsTab.Text != "Goedkeuren aanvragen (1)" {
		t.Fatalf("tab title %q, want the open request counted", sh.approvalsTab.Text)
	}

	a := sh.approvals
	a.groupSelect.SetSelectedIndex(1) // Rupsjes
	if len(a.items) != 1 {
		t.Fatalf("queue %+v, want the one request", a.items)
	}
	row := a.rows[a.items[0].Request.ID]
	list, _ := db.DayList(t.Context(), demoBabies, thursday)
	taken := 0
	for _, r := range list.Rows {
		if !r.Attendance.Absent {
			taken++
		}
	}
	occupancy := fmt.Sprintf("Bezetting die dag: %d van 12; %d na goedkeuren.", taken, taken+1)
	if row.flag.Text != "De dag is dichtbij: beslis vandaag." || row.occupancy.Text != occupancy {
		t.Errorf("flag %q, occupancy %q, want %q", row.flag.Text, row.occupancy.Text, occupancy)
	}

	sh.attendance.setDate(thursday)
	if _, on := sh.attendance.rows[child.ID]; on {
		t.Fatal("the child is on Thursday's list before approval")
	}
	test.Tap(row.approve)
	tapDialogButton(t, sh.window, "Goedkeuren")

	r, on := sh.attendance.rows[child.ID]
	if !on || !strings.Contains(r.detail.Text, "08:00–12:00 · extra opvang") {
		t.Fatalf("after approval the open list of Thursday shows the child: %v, detail %+v", on, r)
	}
	if sh.approvalsTab.Text != "Goedkeuren aanvragen" || len(a.items) != 0 {
		t.Errorf("after approval: tab %q, queue %d", sh.approvalsTab.Text, len(a.items))
	}
}

func TestRequest_R1_StaffTooEarlyIsToldTheParentRequests(t *testing.T) {
	sh, db := newTestShellAs(t, LanguageDutch, demo.Users[1]) // Tess, staff of Rupsjes
	nextWeek := data.DateOf(testNow).AddDays(7)
	child := freeChild(t, db, demoBabies, nextWeek, func(data.Child) bool { return true })

	test.Tap(sh.attendance.requestButton)
	f := sh.request
	if f.channel.Text != "Groep" {
		t.Errorf("before a child is chosen the form says the request comes from %q, want the group", f.channel.Text)
	}
	fillRequest(t, f, child, nextWeek, "08:00", "12:00")

	if want := "Deze dag is over 7 dagen: de ouder vraagt hem zelf aan in de ouderapp. Het kantoor kan dat namens de ouder doen."; f.problem.Text != want || !f.problem.Visible() {
		t.Fatalf("problem %q, want %q", f.problem.Text, want)
	}
	if !f.submit.Disabled() {
		t.Fatal("submit enabled outside the group's window")
	}
	// Staff have no channel to choose: the request is the group's (R1).
	if f.channel.Text != "Groep" {
		t.Errorf("requested by %q, want the group", f.channel.Text)
	}
	for _, o := range test.LaidOutObjects(sh.window.Canvas().Overlays().Top()) {
		if _, ok := o.(*widget.RadioGroup); ok {
			t.Fatal("the form offers staff a choice of channel")
		}
	}
	if reqs, _ := db.ChildRequests(t.Context(), child.ID); len(reqs) != 0 {
		t.Errorf("stored %+v while only previewing", reqs)
	}

	// The manager registers it for the parent, and sees the same occupancy.
	staffCapacity := f.capacity.Text
	f.dialog.Hide()
	manager, _ := newTestShellOn(t, LanguageDutch, demoManager, db)
	test.Tap(manager.attendance.requestButton)
	g := manager.request
	fillRequest(t, g, child, nextWeek, "08:00", "12:00")
	if g.problem.Visible() || g.submit.Disabled() || g.channel.Text != "Kantoor, namens de ouder" {
		t.Fatalf("manager: problem %q, submit disabled %v, requested by %q", g.problem.Text, g.submit.Disabled(), g.channel.Text)
	}
	if g.capacity.Text != staffCapacity || strings.HasPrefix(staffCapacity, "0 van") {
		t.Errorf("occupancy for staff %q, for the manager %q: want one figure, the day's", staffCapacity, g.capacity.Text)
	}
}

func TestRequest_T3_V3_HolidayDaySaysWhyCreditCannotPay(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	// The Christmas holiday starts 19 December; Monday the 21st is in the office's window.
	holiday := data.NewDate(2026, time.December, 21)
	contracts := func(c data.Child) []data.Contract {
		cs, _ := db.Contracts(t.Context(), c.ID)
		return cs
	}
	child := freeChild(t, db, demoBSOYoung, holiday, func(c data.Child) bool {
		cs := contracts(c)
		return slices.ContainsFunc(cs, func(k data.Contract) bool { return k.Product == data.ProductBSOSchoolWeeks }) &&
			!slices.ContainsFunc(cs, func(k data.Contract) bool { return k.Product == data.ProductBSOHoliday })
	})
	earnCredit(t, db, child.ID) // school-day credit

	sh.showRequestForm(demoBSOYoung, data.DateOf(testNow))
	f := sh.request
	f.setDate(holiday)
	f.childSelect.SetSelected(child.Name())
	if f.channel.Text != "Office, for the parent" {
		t.Errorf("the manager's request in the parents' window comes from %q, want the office", f.channel.Text)
	}
	if f.from.Text != "07:30" || f.until.Text != "18:30" || f.productSelect.Selected != "BSO holiday day" {
		t.Fatalf("holiday day prefilled %q–%q as %q", f.from.Text, f.until.Text, f.productSelect.Selected)
	}
	if f.proposal.Text != "On invoice as extra holiday day BSO: 11:00 h" {
		t.Errorf("proposal %q", f.proposal.Text)
	}
	if !f.blocked.Visible() || !strings.HasSuffix(f.blocked.Text, "cannot pay: school-day credit does not pay for a day without school (a holiday or study day)") {
		t.Errorf("blocked %q", f.blocked.Text)
	}
	if f.invoiceAnyway.Visible() || f.submit.Disabled() {
		t.Error("nothing to override: the day goes on invoice as proposed")
	}
}

func TestChildCard_TapNameShowsCreditSoonestFirst(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := sh.attendance
	row := firstRowWithStatus(t, s, data.StatusToCome)
	first := earnCredit(t, db, row.childID)
	// A second absence a week later expires a week later.
	second, err := db.ReportAbsence(t.Context(), data.AbsenceReport{ChildID: row.childID, Date: first.Credit.ExpiresOn.AddDays(-28 + 7), Reason: data.AbsenceSick, By: "office"})
	if err != nil || second.Credit == nil {
		t.Fatalf("second absence: %+v, %v", second, err)
	}

	openCard(t, row)
	c := sh.card
	if c == nil || c.name.Text != row.row.Child.Name() {
		t.Fatalf("card %+v, want the child's", c)
	}
	if c.tabs.Items[0].Text != "Tegoed" || c.tabs.Selected() != c.tabs.Items[0] {
		t.Fatalf("card opens on %q", c.tabs.Selected().Text)
	}
	total := first.Credit.Minutes + second.Credit.Minutes
	balance := c.balances.Objects[0].(*widget.Label).Text
	if want := "Afwezigheidstegoed KDV-dagen: " + data.MinutesText(total) + " uur"; balance != want {
		t.Errorf("balance %q, want %q", balance, want)
	}
	var validUntil []string
	for _, line := range c.ledger.Objects[1:] { // after the header
		validUntil = append(validUntil, line.(*fyne.Container).Objects[0].(*widget.Label).Text)
	}
	i, j := slices.Index(validUntil, shortDate(first.Credit.ExpiresOn)), slices.Index(validUntil, shortDate(second.Credit.ExpiresOn))
	if i < 0 || j < 0 || i > j {
		t.Errorf("ledger valid-until column %v, want %s before %s", validUntil, shortDate(first.Credit.ExpiresOn), shortDate(second.Credit.ExpiresOn))
	}
}

// overlayTexts returns the label texts of the top dialog.
func overlayTexts(sh *Shell) []string {
	var out []string
	if top := sh.window.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if l, ok := o.(*widget.Label); ok {
				out = append(out, l.Text)
			}
		}
	}
	return out
}

// openCard taps the child's name on the attendance list.
func openCard(t *testing.T, row *childRow) {
	t.Helper()
	for _, o := range test.LaidOutObjects(row.box) {
		if a, ok := o.(*tapArea); ok {
			test.Tap(a)
			return
		}
	}
	t.Fatal("the row has no tap area on the name")
}

func TestChildCard_T1_ReportAbsenceSaysWhatItEarned(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := sh.attendance
	tomorrow := data.DateOf(testNow).AddDays(1)
	next, err := db.DayList(t.Context(), s.groupID, tomorrow)
	if err != nil {
		t.Fatal(err)
	}
	var row *childRow
	for _, r := range s.list.Rows {
		if slices.ContainsFunc(next.Rows, func(n data.DayRow) bool { return n.Child.ID == r.Child.ID && !n.Attendance.Absent }) {
			row = s.rows[r.Child.ID]
			break
		}
	}
	if row == nil {
		t.Fatal("nobody on today's list is expected tomorrow too")
	}
	openCard(t, row)
	var report *widget.Button
	for _, o := range test.LaidOutObjects(sh.card.tabs) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Afwezigheid melden" {
			report = b
		}
	}
	test.Tap(report)
	tapDialogButton(t, sh.window, "Vrij")

	// Tomorrow 07:30 is less than 24 hours away: the absence is recorded, without credit (T1).
	want := "Afwezig op donderdag 26 november 2026. Geen tegoed: minder dan 24 uur van tevoren gemeld."
	if texts := overlayTexts(sh); !slices.Contains(texts, want) {
		t.Fatalf("dialog shows %q, want %q", texts, want)
	}
	l, _ := db.DayList(t.Context(), s.groupID, tomorrow)
	for _, r := range l.Rows {
		if r.Child.ID == row.childID && (!r.Attendance.Absent || r.Attendance.AbsenceReason != data.AbsenceDayOff) {
			t.Errorf("tomorrow's record %+v, want absent with a day off", r.Attendance)
		}
	}
}

// Extra care on a study day of the child's school is study-day care: the
// form offers the study-day product only, a whole day, billed as one (S2).
func TestRequest_S2_StudyDayOffersStudyDayCare(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	today := data.DateOf(testNow)
	days, err := db.StudyDays(t.Context(), today, today.AddDays(60))
	if err != nil || len(days) == 0 {
		t.Fatalf("the demo's study day: %v, %v", days, err)
	}
	sd := days[0]
	child := freeChild(t, db, demoBSOYoung, sd.Date, func(c data.Child) bool { return c.SchoolID == sd.SchoolID })

	sh.showRequestForm(demoBSOYoung, today)
	f := sh.request
	f.setDate(sd.Date)
	f.childSelect.SetSelected(child.Name())
	if f.channel.Text != "Office, for the parent" {
		t.Errorf("the manager's request for the study day comes from %q, want the office", f.channel.Text)
	}
	if f.productSelect.Selected != "BSO study day" || len(f.productSelect.Options) != 1 || f.from.Text != "07:30" || f.until.Text != "18:30" {
		t.Fatalf("study day offers %q (selected %q), %q–%q; want a whole BSO study day", f.productSelect.Options, f.productSelect.Selected, f.from.Text, f.until.Text)
	}
	if f.proposal.Text != "On invoice as BSO study day: 11:00 h" || f.problem.Visible() {
		t.Errorf("proposal %q, problem %q", f.proposal.Text, f.problem.Text)
	}
}
