package pgstore_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// The school calendar, holiday care and study days on PostgreSQL, for what
// the conformance suite does not reach: a calendar file imported twice,
// sign-ups below the minimum cancelled by the planner, the holiday overview.

// calendarStore is an organisation with one location, De Linde, and its BSO
// group Uilen, on Monday 2 March 2026, with the school De Wilgen.
type calendarStore struct {
	t              *testing.T
	db             *pgstore.DB
	conn           *pgx.Conn // the database itself, for what no Store method makes
	linde          data.Location
	uilen          data.Group
	wilgen         data.School
	contractsStart data.Date // the day the children's contracts start
}

func newCalendarStore(t *testing.T) *calendarStore {
	t.Helper()
	address := pgtest.Database(t)
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.Local)
	db, err := pgstore.Open(t.Context(), address, pgstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := pgx.Connect(t.Context(), address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(t.Context()) })
	s := &calendarStore{t: t, db: db, conn: conn, contractsStart: data.NewDate(2025, time.September, 1)}
	if _, err := db.SetUp(t.Context(), data.OrganisationSetup{Organisation: "Kinderopvang Kalender", Location: "De Linde",
		Groups:  []data.GroupSetup{{Name: "Uilen", Care: data.BSO, Capacity: 20}},
		Manager: "Marieke de Manager", Secret: "wachtwoord-manager"}); err != nil {
		t.Fatal(err)
	}
	locations, err := db.Locations(t.Context())
	if err != nil || len(locations) != 1 {
		t.Fatalf("locations %+v, %v", locations, err)
	}
	s.linde = locations[0]
	if s.uilen, err = db.GroupByName(t.Context(), "Uilen"); err != nil {
		t.Fatal(err)
	}
	s.wilgen = s.school("De Wilgen")
	return s
}

// school adds a school. The store makes schools only as a child import
// names them; these tests need one without importing children.
func (s *calendarStore) school(name string) data.School {
	s.t.Helper()
	var id int64
	if err := s.conn.QueryRow(s.t.Context(), `INSERT INTO schools (name) VALUES ($1) RETURNING id`, name).Scan(&id); err != nil {
		s.t.Fatal(err)
	}
	return data.School{ID: data.ID(id), Name: name}
}

// child adds a BSO child of school with a contract of product in Uilen on
// Mondays and Wednesdays after school.
func (s *calendarStore) child(first string, school data.School, p data.Product) data.Child {
	s.t.Helper()
	c, err := s.db.AddChild(s.t.Context(), data.Child{LocationID: s.linde.ID, FirstName: first, LastName: "Kalender",
		BirthDate: data.NewDate(2018, time.May, 20), SchoolID: school.ID})
	if err != nil {
		s.t.Fatal(err)
	}
	after := data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 30)}
	_, err = s.db.AddContract(s.t.Context(), data.Contract{ChildID: c.ID, GroupID: s.uilen.ID, Product: p, Start: s.contractsStart,
		Days: []data.ContractDay{{Weekday: time.Monday, Times: after}, {Weekday: time.Wednesday, Times: after}}})
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

func schoolICS(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "school.ics"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func parseCalendar(t *testing.T, ics string) data.CalendarFile {
	t.Helper()
	f, err := data.ParseCalendarFile(strings.NewReader(ics))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestImportCalendar_S1_SameFileTwiceChangesNothing(t *testing.T) {
	s := newCalendarStore(t)
	ctx := t.Context()
	byHand, err := s.db.AddHoliday(ctx, data.SchoolHoliday{SchoolID: s.wilgen.ID, Name: " Voorjaarsvakantie ",
		From: data.NewDate(2026, time.February, 14), To: data.NewDate(2026, time.February, 22)})
	if err != nil || byHand.ID == 0 || byHand.Name != "Voorjaarsvakantie" {
		t.Fatalf("AddHoliday: %+v, %v", byHand, err)
	}
	file := parseCalendar(t, schoolICS(t))
	res, err := s.db.ImportCalendar(ctx, s.wilgen.ID, file)
	if err != nil {
		t.Fatal(err)
	}
	if res != (data.CalendarImportResult{Added: 3, Skipped: 2}) {
		t.Errorf("first import %+v, want 3 added, 2 skipped", res)
	}
	first, err := s.db.SchoolCalendar(ctx, s.wilgen.ID)
	if err != nil {
		t.Fatal(err)
	}
	var days []data.Date
	for _, sd := range first.StudyDays {
		days = append(days, sd.Date)
	}
	want := []data.Date{data.NewDate(2026, time.March, 26), data.NewDate(2026, time.June, 12), data.NewDate(2026, time.June, 15)}
	if len(first.Holidays) != 2 || first.Holidays[0].ID != byHand.ID || first.Holidays[1].Name != "Meivakantie" || !slices.Equal(days, want) {
		t.Fatalf("calendar after the import: holidays %+v, study days %v; want the one by hand, then Meivakantie, and %v", first.Holidays, days, want)
	}
	mei := first.Holidays[1]
	if mei.From != data.NewDate(2026, time.April, 18) || mei.To != data.NewDate(2026, time.May, 3) || mei.UID != "meivakantie-2026@dewilgen.nl" {
		t.Errorf("Meivakantie %+v, want 18 April to 3 May (DTEND is exclusive) with its UID", mei)
	}

	res, err = s.db.ImportCalendar(ctx, s.wilgen.ID, file)
	if err != nil {
		t.Fatal(err)
	}
	if res != (data.CalendarImportResult{Unchanged: 3, Skipped: 2}) {
		t.Errorf("second import %+v, want all 3 unchanged", res)
	}
	second, err := s.db.SchoolCalendar(ctx, s.wilgen.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("the second import changed the calendar:\n%+v\n%+v", first, second)
	}

	// The school moves its study day from 26 to 27 March: the same UID, one record moved.
	moved := parseCalendar(t, strings.Replace(schoolICS(t), "DTSTART;VALUE=DATE:20260326", "DTSTART;VALUE=DATE:20260327", 1))
	if res, err = s.db.ImportCalendar(ctx, s.wilgen.ID, moved); err != nil || res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("corrected file: %+v, %v; want 1 updated, 2 unchanged", res, err)
	}
	third, _ := s.db.SchoolCalendar(ctx, s.wilgen.ID)
	if len(third.StudyDays) != 3 || third.StudyDays[0].Date != data.NewDate(2026, time.March, 27) || third.StudyDays[0].Name != "Studiedag team, alle leerlingen vrij" {
		t.Errorf("study days after the correction %+v, want the first on 27 March", third.StudyDays)
	}
	if all, err := s.db.StudyDays(ctx, data.NewDate(2026, time.March, 1), data.NewDate(2026, time.June, 12)); err != nil || len(all) != 2 {
		t.Errorf("StudyDays of March to 12 June: %+v, %v; want 27 March and 12 June", all, err)
	}
}

func TestImportCalendar_S1_RefusedEventImportsNothing(t *testing.T) {
	s := newCalendarStore(t)
	before, err := s.db.SchoolCalendar(t.Context(), s.wilgen.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Its study day falls in the Meivakantie of the same file.
	file := parseCalendar(t, strings.Replace(schoolICS(t), "DTSTART;VALUE=DATE:20260326", "DTSTART;VALUE=DATE:20260420", 1))
	if _, err := s.db.ImportCalendar(t.Context(), s.wilgen.ID, file); !errors.Is(err, data.ErrInvalid) || !strings.Contains(err.Error(), "Studiedag team") {
		t.Fatalf("error %v, want a refusal naming the event", err)
	}
	after, _ := s.db.SchoolCalendar(t.Context(), s.wilgen.ID)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("a refused import stored something:\n%+v\n%+v", before, after)
	}
	if _, err := s.db.ImportCalendar(t.Context(), s.wilgen.ID+99, file); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("import for an unknown school: %v, want ErrNotFound", err)
	}
}

// S2: two sign-ups stay below the minimum of three; the planner cancels,
// which takes them and a child's study-day request back, off the day's
// list, and names the three children on the notice.
func TestDecideStudyDay_S2_CancelBelowMinimumNamesTheChildren(t *testing.T) {
	s := newCalendarStore(t)
	ctx := t.Context()
	zoe := s.child("Zoë", s.wilgen, data.ProductBSOSchoolWeeks)
	bas := s.child("Bas", s.wilgen, data.ProductBSOSchoolWeeks)
	cor := s.child("Cor", s.wilgen, data.ProductBSOSchoolWeeks) // on the sheet with a study-day request
	other := s.school("De Eik")
	s.child("Eik", other, data.ProductBSOSchoolWeeks) // another school: among the others
	studyDay := data.NewDate(2026, time.March, 19)    // a Thursday
	if err := s.db.AddStudyDay(ctx, data.StudyDay{SchoolID: s.wilgen.ID, Date: studyDay, Name: " Studiedag "}); err != nil {
		t.Fatal(err)
	}
	times := data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(16, 0)}
	draft := data.RequestDraft{ChildID: cor.ID, GroupID: s.uilen.ID, Date: studyDay, Times: times,
		Product: data.ProductStudyDay, Channel: data.ChannelOffice, By: "Priya"}
	p, err := s.db.PreviewRequest(ctx, draft)
	if err != nil || p.Problem != nil {
		t.Fatalf("preview of Cor's study day: %+v, %v", p.Problem, err)
	}
	corRequest, err := s.db.SubmitRequest(ctx, draft, p.Proposal.Payment)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.ApproveRequest(ctx, corRequest.ID, "Priya"); err != nil {
		t.Fatal(err)
	}
	reg := data.SignUpRegistration{LocationID: s.linde.ID, SchoolID: s.wilgen.ID, Date: studyDay, By: "Priya",
		Children: []data.SignUpEntry{{ChildID: zoe.ID, Times: times}, {ChildID: bas.ID, Times: times}}}
	if err := s.db.RegisterSignUps(ctx, reg); err != nil {
		t.Fatal(err)
	}
	list, err := s.db.DayList(ctx, s.uilen.ID, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	if got := listed(list); len(got) != 3 || !slices.Contains(got, zoe.ID) || !slices.Contains(got, bas.ID) || !slices.Contains(got, cor.ID) {
		t.Fatalf("the study day's list holds %v, want Zoë, Bas and Cor (%d, %d, %d)", got, zoe.ID, bas.ID, cor.ID)
	}
	sheet, err := s.db.StudyDaySheet(ctx, s.linde.ID, s.wilgen.ID, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	if sheet.Minimum != 3 || sheet.SignedUp() != 2 || sheet.State() != data.StateBelowMinimum || len(sheet.Rows) != 3 || len(sheet.Others) != 1 {
		t.Fatalf("sheet: %d of minimum %d signed up (%s), %d rows, %d others; want 2 of 3 below the minimum, 3 rows, 1 other",
			sheet.SignedUp(), sheet.Minimum, sheet.State(), len(sheet.Rows), len(sheet.Others))
	}
	if sheet.StudyDay.Name != "Studiedag" || sheet.Rows[0].Child.FirstName != "Bas" || sheet.Rows[0].SignUp == nil || sheet.Rows[1].SignUp != nil {
		t.Errorf("sheet %+v, want the rows Bas (signed up), Cor, Zoë", sheet.Rows)
	}
	// Registering the same sheet again changes nothing.
	if err := s.db.RegisterSignUps(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.db.StudyDaySheet(ctx, s.linde.ID, s.wilgen.ID, studyDay); !reflect.DeepEqual(again.Rows, sheet.Rows) {
		t.Errorf("the same sheet twice changed the rows:\n%+v\n%+v", sheet.Rows, again.Rows)
	}
	if err := s.db.RemoveStudyDay(ctx, s.wilgen.ID, studyDay); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("removing a study day with sign-ups: %v, want refused", err)
	}

	if err := s.db.DecideStudyDay(ctx, s.linde.ID, s.wilgen.ID, studyDay, data.OutcomeCancelled, " Priya "); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.db.DayList(ctx, s.uilen.ID, studyDay); len(listed(list)) != 0 {
		t.Errorf("the cancelled study day's list holds %v", listed(list))
	}
	sheet, _ = s.db.StudyDaySheet(ctx, s.linde.ID, s.wilgen.ID, studyDay)
	if sheet.State() != data.StateCancelled || sheet.SignedUp() != 0 || sheet.Decision.By != "Priya" {
		t.Errorf("after cancelling: state %s, %d signed up, decision %+v", sheet.State(), sheet.SignedUp(), sheet.Decision)
	}
	notice, err := s.db.StudyDayNotice(ctx, s.linde.ID, s.wilgen.ID, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	if got := notice.Children; len(got) != 3 || got[0].ID != bas.ID || got[1].ID != cor.ID || got[2].ID != zoe.ID || notice.Minimum != 3 || notice.School.Name != "De Wilgen" {
		t.Errorf("notice %+v, want the parents of Bas, Cor and Zoë told", notice)
	}
	if r, err := s.db.Request(ctx, corRequest.ID); err != nil || r.Status != data.StatusCancelled {
		t.Errorf("Cor's study-day request after the cancellation: %+v, %v; want cancelled", r, err)
	}
	if err := s.db.RegisterSignUps(ctx, reg); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("signing up for a cancelled study day: %v, want refused", err)
	}
	if err := s.db.DecideStudyDay(ctx, s.linde.ID, s.wilgen.ID, studyDay, data.OutcomeGoesAhead, "Priya"); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("going ahead after cancelling: %v, want refused", err)
	}
	if err := s.db.RemoveStudyDay(ctx, s.wilgen.ID, studyDay); err != nil {
		t.Errorf("removing the cancelled study day, its sign-ups cancelled: %v", err)
	}
}

func listed(l data.DayList) []data.ID {
	var ids []data.ID
	for _, r := range l.Rows {
		ids = append(ids, r.Child.ID)
	}
	return ids
}

// V2: the holiday overview lists the school's school-weeks children, those
// without a holiday contract or a booking first.
func TestHolidayOverview_V2_CountsTheCover(t *testing.T) {
	s := newCalendarStore(t)
	ctx := t.Context()
	may, err := s.db.AddHoliday(ctx, data.SchoolHoliday{SchoolID: s.wilgen.ID, Name: "Meivakantie",
		From: data.NewDate(2026, time.April, 25), To: data.NewDate(2026, time.May, 3)})
	if err != nil {
		t.Fatal(err)
	}
	contracted := s.child("Anouk", s.wilgen, data.ProductBSOSchoolWeeks)
	booked := s.child("Bo", s.wilgen, data.ProductBSOSchoolWeeks)
	uncovered := s.child("Cas", s.wilgen, data.ProductBSOSchoolWeeks)
	s.child("Daan", s.wilgen, data.ProductBSO52Weeks)              // comes in holidays anyway
	s.child("Eef", s.school("De Eik"), data.ProductBSOSchoolWeeks) // another school's holiday
	c, err := s.db.RegisterHolidayContract(ctx, data.HolidayContractRequest{ChildID: contracted.ID, HolidayID: may.ID, CreditDays: 3})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == 0 || c.GroupID != s.uilen.ID || c.Start != may.From || c.End != data.NewDate(2027, time.April, 24) {
		t.Errorf("holiday contract %+v, want Uilen from 25 April 2026 for a year", c)
	}
	if _, err := s.db.RegisterHolidayContract(ctx, data.HolidayContractRequest{ChildID: contracted.ID, HolidayID: may.ID, CreditDays: 1}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a second holiday contract: %v, want refused", err)
	}
	// A booked holiday day is an extra, as an approved request leaves it.
	if _, err := s.conn.Exec(ctx, `INSERT INTO extras (day, group_id, child_id, from_min, until_min, source) VALUES ($1, $2, $3, $4, $5, 'request')`,
		may.From.Midnight().AddDate(0, 0, 2), int64(s.uilen.ID), int64(booked.ID), 450, 1110); err != nil {
		t.Fatal(err)
	}
	o, err := s.db.HolidayOverview(ctx, s.wilgen.ID, may.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id    data.ID
		cover data.HolidayCover
	}{{uncovered.ID, data.CoverNone}, {contracted.ID, data.CoverContract}, {booked.ID, data.CoverBooking}}
	if len(o.Children) != len(want) || o.Uncovered() != 1 {
		t.Fatalf("overview of %d children, %d uncovered: %+v; want 3, 1 uncovered", len(o.Children), o.Uncovered(), o.Children)
	}
	for i, w := range want {
		if got := o.Children[i]; got.Child.ID != w.id || got.Cover != w.cover || got.Group.ID != s.uilen.ID {
			t.Errorf("row %d: %s (%d) %q in %s, want child %d %q", i, got.Child.FirstName, got.Child.ID, got.Cover, got.Group.Name, w.id, w.cover)
		}
	}
	if o.Deadline != data.NewDate(2026, time.March, 21) || o.DaysLeft != 19 {
		t.Errorf("deadline %s, %d days left; want 21 March (5 weeks ahead), 19 days", o.Deadline, o.DaysLeft)
	}
	if _, err := s.db.HolidayOverview(ctx, s.wilgen.ID, may.ID+99); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("overview of an unknown holiday: %v, want ErrNotFound", err)
	}
}

// S1: a sheet entered again with other times changes the sign-up in place,
// one left off is cancelled and leaves the list, and a refused sheet stores
// nothing.
func TestRegisterSignUps_S1_SheetEnteredAgain(t *testing.T) {
	s := newCalendarStore(t)
	ctx := t.Context()
	zoe := s.child("Zoë", s.wilgen, data.ProductBSOSchoolWeeks)
	bas := s.child("Bas", s.wilgen, data.ProductBSOSchoolWeeks)
	studyDay := data.NewDate(2026, time.March, 19)
	if err := s.db.AddStudyDay(ctx, data.StudyDay{SchoolID: s.wilgen.ID, Date: studyDay, Name: "Studiedag"}); err != nil {
		t.Fatal(err)
	}
	morning := data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(12, 0)}
	day := data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(17, 0)}
	sheet := func(entries ...data.SignUpEntry) data.SignUpRegistration {
		return data.SignUpRegistration{LocationID: s.linde.ID, SchoolID: s.wilgen.ID, Date: studyDay, By: "Priya", Children: entries}
	}
	if err := s.db.RegisterSignUps(ctx, sheet(data.SignUpEntry{ChildID: zoe.ID, Times: morning}, data.SignUpEntry{ChildID: bas.ID, Times: morning})); err != nil {
		t.Fatal(err)
	}
	before, err := s.db.StudyDaySheet(ctx, s.linde.ID, s.wilgen.ID, studyDay)
	if err != nil || before.SignedUp() != 2 {
		t.Fatalf("sheet %+v, %v; want 2 signed up", before.Rows, err)
	}
	if err := s.db.RegisterSignUps(ctx, sheet(data.SignUpEntry{ChildID: zoe.ID, Times: day})); err != nil {
		t.Fatal(err)
	}
	after, _ := s.db.StudyDaySheet(ctx, s.linde.ID, s.wilgen.ID, studyDay)
	if after.SignedUp() != 1 || after.Rows[1].Child.ID != zoe.ID || after.Rows[1].SignUp == nil ||
		after.Rows[1].SignUp.ID != before.Rows[1].SignUp.ID || after.Rows[1].SignUp.Times != day {
		t.Fatalf("after entering the sheet again: %+v; want Zoë's sign-up %d until 17:00, Bas's cancelled", after.Rows, before.Rows[1].SignUp.ID)
	}
	list, err := s.db.DayList(ctx, s.uilen.ID, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Rows) != 1 || list.Rows[0].Child.ID != zoe.ID || list.Rows[0].Expected != day || list.Rows[0].Source != data.SourceStudyDay {
		t.Errorf("the study day's list %+v, want only Zoë until 17:00 by her sign-up", list.Rows)
	}
	// Bas from 06:00, before the group opens: the whole sheet is refused.
	early := data.TimeRange{From: data.NewClock(6, 0), Until: data.NewClock(12, 0)}
	if err := s.db.RegisterSignUps(ctx, sheet(data.SignUpEntry{ChildID: bas.ID, Times: morning}, data.SignUpEntry{ChildID: zoe.ID, Times: early})); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("a sheet with a line before opening time: %v, want refused", err)
	}
	if again, _ := s.db.StudyDaySheet(ctx, s.linde.ID, s.wilgen.ID, studyDay); !reflect.DeepEqual(again.Rows, after.Rows) {
		t.Errorf("a refused sheet stored something:\n%+v\n%+v", after.Rows, again.Rows)
	}
}
