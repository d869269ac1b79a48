package pgstore_test

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// What the conformance suite does not reach of the day list: the consent
// its rows show, a record that keeps a child on it, the credit an absence
// earns and gives back (T1, R7), and edits from two hubs at once.

// dayStore is a database with one KDV group, Rupsjes, and children expected
// there Monday to Friday, 07:30–18:00, on Tuesday 10 March 2026 at 09:00.
type dayStore struct {
	t        *testing.T
	address  string
	db       *pgstore.DB
	sql      *pgx.Conn
	group    data.Group
	children []data.Child
	today    data.Date
}

func newDayStore(t *testing.T, names ...string) *dayStore {
	t.Helper()
	now := time.Date(2026, time.March, 10, 9, 0, 0, 0, time.Local)
	s := &dayStore{t: t, address: pgtest.Database(t), today: data.DateOf(now)}
	var err error
	if s.db, err = pgstore.Open(t.Context(), s.address, pgstore.WithClock(func() time.Time { return now })); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.db.Close() })
	if s.sql, err = pgx.Connect(t.Context(), s.address); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.sql.Close(t.Context()) })
	ctx := t.Context()
	_, err = s.db.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Dag", Location: "De Vlinder",
		Groups: []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}}, Manager: "Marieke", Secret: "wachtwoord-manager"})
	s.must(err)
	s.group, err = s.db.GroupByName(ctx, "Rupsjes")
	s.must(err)
	day := data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
	contract := data.Contract{GroupID: s.group.ID, Product: data.ProductKDV, Start: data.NewDate(2025, time.September, 1)}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		contract.Days = append(contract.Days, data.ContractDay{Weekday: wd, Times: day})
	}
	for _, name := range names {
		c, err := s.db.AddChild(ctx, data.Child{LocationID: s.group.LocationID, FirstName: name, LastName: "Dag", BirthDate: data.NewDate(2024, time.May, 1)})
		s.must(err)
		contract.ChildID = c.ID
		_, err = s.db.AddContract(ctx, contract)
		s.must(err)
		s.children = append(s.children, c)
	}
	return s
}

func (s *dayStore) must(err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
}

func (s *dayStore) exec(sql string, args ...any) {
	s.t.Helper()
	if _, err := s.sql.Exec(s.t.Context(), sql, args...); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
}

func (s *dayStore) edit(c data.Child, d data.Date) data.DayEdit {
	return data.DayEdit{Date: d, GroupID: s.group.ID, ChildID: c.ID, By: "Tess"}
}

func (s *dayStore) row(c data.Child, d data.Date) data.DayRow {
	s.t.Helper()
	l, err := s.db.DayList(s.t.Context(), s.group.ID, d)
	s.must(err)
	r, ok := l.Row(c.ID)
	if !ok {
		s.t.Fatalf("%s is not on the list of %s", c.FirstName, d)
	}
	return r
}

// creditEntry reads a ledger entry as stored.
func (s *dayStore) creditEntry(id data.ID) (minutes, reserved int, withdrawn bool) {
	s.t.Helper()
	err := s.sql.QueryRow(s.t.Context(), `SELECT minutes, reserved, withdrawn FROM credit_entries WHERE id = $1`, int64(id)).Scan(&minutes, &reserved, &withdrawn)
	s.must(err)
	return minutes, reserved, withdrawn
}

// TestDayList_C1_ConsentIsTheCurrentAnswer: the marker on a row is the
// answer data.CurrentConsent picks from the child's history: an answer
// dated earlier but recorded later does not replace a newer one, and of
// answers of the same day the one recorded last counts.
func TestDayList_C1_ConsentIsTheCurrentAnswer(t *testing.T) {
	s := newDayStore(t, "Anna", "Bram", "Cas")
	anna, bram, cas := s.children[0], s.children[1], s.children[2]
	histories := map[data.ID][]data.ConsentChange{
		anna.ID: {{Level: data.ConsentPublic, Given: data.NewDate(2026, time.January, 5)}, {Level: data.ConsentNone, Given: data.NewDate(2025, time.December, 1)}},
		bram.ID: {{Level: data.ConsentNone, Given: data.NewDate(2026, time.January, 5)}, {Level: data.ConsentPortal, Given: data.NewDate(2026, time.January, 5)}},
	}
	for child, history := range histories {
		for i, c := range history {
			s.exec(`INSERT INTO consent_changes (child_id, seq, level, given, source, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, 'form', 'Marieke', now())`,
				int64(child), i+1, string(c.Level), c.Given.String())
		}
	}
	for _, c := range []data.Child{anna, bram, cas} {
		want := data.ConsentNotAnswered
		if current, ok := data.CurrentConsent(histories[c.ID]); ok {
			want = current.Level
		}
		if got := s.row(c, s.today).Consent; got != want {
			t.Errorf("%s's row shows consent %q, want %q", c.FirstName, got, want)
		}
	}
	if s.row(anna, s.today).Consent == histories[anna.ID][1].Level {
		t.Error("Anna's row shows the answer recorded last, not the one given last")
	}
}

// TestDayList_A1_RecordKeepsAChildOnTheList: a child whose care ended keeps
// the day's record on the list, after the expected children.
func TestDayList_A1_RecordKeepsAChildOnTheList(t *testing.T) {
	s := newDayStore(t, "Anna", "Bram")
	anna := s.children[0]
	ctx := t.Context()
	s.must(s.db.CheckIn(ctx, s.edit(anna, s.today), data.NewClock(8, 15)))
	s.must(s.db.EndCare(ctx, anna.ID, s.today.AddDays(-1)))
	l, err := s.db.DayList(ctx, s.group.ID, s.today)
	s.must(err)
	if len(l.Rows) != 2 || l.Rows[0].Child.ID != s.children[1].ID || l.Rows[1].Child.ID != anna.ID {
		t.Fatalf("rows %+v, want Bram expected and then Anna with her record", l.Rows)
	}
	if r := l.Rows[1]; r.Source != "" || r.Attendance.CheckIn == nil || *r.Attendance.CheckIn != data.NewClock(8, 15) {
		t.Errorf("Anna's row %+v, want her check-in and no expectation", r)
	}
	if l.Counts().Present != 1 {
		t.Errorf("counts %+v, want Anna present", l.Counts())
	}
}

// TestAbsence_T1_R7_CreditFollowsTheAbsence: an absence reported in time
// earns its expected care as credit; taking it back withdraws the entry,
// and credit an open request reserved goes on that request's invoice once
// the edit confirms the minutes.
func TestAbsence_T1_R7_CreditFollowsTheAbsence(t *testing.T) {
	s := newDayStore(t, "Anna")
	anna := s.children[0]
	ctx := t.Context()
	friday := s.today.AddDays(3)
	u, err := s.db.Unlock(ctx, friday, "Tess")
	s.must(err)
	e := s.edit(anna, friday)
	e.Unlock = u
	s.must(s.db.MarkAbsent(ctx, e, data.AbsenceSick))
	a := s.row(anna, friday).Attendance
	if a.Credit == nil || a.Credit.Minutes != 630 || a.AbsenceMinutes != 630 || a.NoCredit != "" || a.AbsenceReportedBy != "Tess" {
		t.Fatalf("Anna's absence %+v, want 630 minutes of credit reported by Tess", a)
	}
	entry := a.Credit.EntryID
	if minutes, _, withdrawn := s.creditEntry(entry); minutes != 630 || withdrawn {
		t.Fatalf("entry %d holds %d minutes (withdrawn %v), want 630", entry, minutes, withdrawn)
	}

	// A request for Wednesday reserves 240 of them.
	s.exec(`UPDATE credit_entries SET reserved = 240 WHERE id = $1`, int64(entry))
	payment, _ := json.Marshal(data.Payment{Allocations: []data.Allocation{{EntryID: entry, ExpiresOn: a.Credit.ExpiresOn, Origin: data.OriginKDVDay, Minutes: 240}}})
	var request int64
	err = s.sql.QueryRow(ctx, `INSERT INTO requests (child_id, group_id, day, from_min, until_min, product, channel, requested_by, submitted_at, payment, status)
		VALUES ($1, $2, $3, 480, 720, 'kdv', 'office', 'Tess', now(), $4, 'open') RETURNING id`,
		int64(anna.ID), int64(s.group.ID), s.today.AddDays(1).String(), payment).Scan(&request)
	s.must(err)

	err = s.db.ClearAbsence(ctx, e)
	var spent *data.CreditSpentError
	if !errors.As(err, &spent) || spent.Minutes != 240 || len(spent.Uses) != 1 || spent.Uses[0].RequestID != data.ID(request) {
		t.Fatalf("clearing the absence: %v, want 240 minutes used by request %d", err, request)
	}
	if a := s.row(anna, friday).Attendance; !a.Absent || a.Credit == nil {
		t.Fatalf("a refused clearing changed the record: %+v", a)
	}
	e.BillSpentCredit = 240
	s.must(s.db.ClearAbsence(ctx, e))
	if a := s.row(anna, friday).Attendance; a.Absent || a.Credit != nil || a.AbsenceMinutes != 0 || !a.AbsenceReportedAt.IsZero() {
		t.Errorf("Anna's record after clearing %+v, want no absence and no credit", a)
	}
	if _, reserved, withdrawn := s.creditEntry(entry); reserved != 0 || !withdrawn {
		t.Errorf("entry after clearing: reserved %d, withdrawn %v; want nothing reserved and withdrawn", reserved, withdrawn)
	}
	var raw, withdrawals []byte
	s.must(s.sql.QueryRow(ctx, `SELECT payment, withdrawn FROM requests WHERE id = $1`, request).Scan(&raw, &withdrawals))
	var got data.Payment
	var moved []data.CreditWithdrawal
	s.must(json.Unmarshal(raw, &got))
	s.must(json.Unmarshal(withdrawals, &moved))
	if got.InvoiceMinutes != 240 || len(got.Allocations) != 0 || len(moved) != 1 || moved[0].Minutes != 240 || moved[0].AbsenceDate != friday {
		t.Errorf("request after clearing pays %+v, withdrawn %+v; want 240 minutes on invoice", got, moved)
	}
}

// TestCheckIn_TwoHubsAtOnce: check-ins through two hubs on one database
// at the same moment are all recorded, each once, whichever transaction
// had to run again.
func TestCheckIn_TwoHubsAtOnce(t *testing.T) {
	s := newDayStore(t, "Anna", "Bram", "Cas", "Dewi", "Eva", "Finn")
	other, err := pgstore.Open(t.Context(), s.address, pgstore.WithClock(s.db.Now))
	s.must(err)
	defer other.Close()
	hubs := []*pgstore.DB{s.db, other}
	before, err := s.db.Audit(t.Context(), data.AuditFilter{Limit: 1000})
	s.must(err)
	var wg sync.WaitGroup
	errs := make([]error, len(s.children))
	for i, c := range s.children {
		wg.Go(func() { errs[i] = hubs[i%2].CheckIn(t.Context(), s.edit(c, s.today), data.NewClock(8, i)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("check-in of %s: %v", s.children[i].FirstName, err)
		}
	}
	for i, c := range s.children {
		if in := s.row(c, s.today).Attendance.CheckIn; in == nil || *in != data.NewClock(8, i) {
			t.Errorf("%s checked in at %v, want 08:%02d", c.FirstName, in, i)
		}
	}
	after, err := s.db.Audit(t.Context(), data.AuditFilter{Limit: 1000})
	s.must(err)
	if len(after)-len(before) != len(s.children) {
		t.Errorf("%d audit entries for %d check-ins", len(after)-len(before), len(s.children))
	}
}
