package boltstore_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
)

// Zoë is the child whose data the privacy tests export and remove: BSO in
// Uilen, Monday to Thursday, from September 2025 until 30 April 2026.
const (
	idZoe       data.ID = 20
	zoeNumber           = "PL-4711-Zoë"
	zoeParent           = "Tomáš Kowalczyk"
	contractZoe data.ID = 20
	zoeLast             = "Dvořák"
)

var (
	zoeEnd      = data.NewDate(2026, time.April, 30)
	zoeStudyDay = data.NewDate(2026, time.March, 27) // a Friday, not a contract day
	zoeNotes    = []string{"Zoë is allergisch voor pinda's", "Koorts, door moeder opgehaald", "Opgehaald door oma Dvořák"}
	zoeReasons  = []string{"Groep vol; moeder Dvořák gebeld", "Ouder wil liever een factuur"}
)

func zoePicture(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{R: 200, G: 30, B: 90, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// privacyDataset is smallDataset with Zoë, her history seeded (records with
// notes, a sick day, photo consent given and withdrawn, a study-day sign-up)
// and a note and consent of Anna, whose care goes on.
func privacyDataset(t *testing.T) data.Dataset {
	ds := smallDataset()
	ds.Children = append(ds.Children, data.Child{ID: idZoe, LocationID: 1, FirstName: "Zoë", LastName: zoeLast,
		BirthDate: data.NewDate(2018, time.February, 14), SchoolID: 1, Picture: zoePicture(t), Number: zoeNumber,
		Contacts: []data.Contact{{Name: zoeParent, Relation: "vader", Phone: "06-98765432", MayCollect: true}}})
	ds.Contracts = append(ds.Contracts, data.Contract{ID: contractZoe, ChildID: idZoe, GroupID: groupUi, Product: data.ProductBSO52Weeks,
		Days: days(bsoTimes, time.Monday, time.Tuesday, time.Wednesday, time.Thursday), Start: data.NewDate(2025, time.September, 1), End: zoeEnd})
	in, out := data.NewClock(15, 5), data.NewClock(18, 10)
	at := storeNow.Add(-24 * time.Hour)
	ds.Records = append(ds.Records,
		data.DayRecord{Date: data.NewDate(2026, time.March, 2), GroupID: groupUi, ChildID: idZoe,
			Attendance: data.Attendance{CheckIn: &in, CheckOut: &out, Note: zoeNotes[0], UpdatedBy: "Mirjam", UpdatedAt: at}},
		data.DayRecord{Date: data.NewDate(2026, time.March, 3), GroupID: groupUi, ChildID: idZoe,
			Attendance: data.Attendance{Absent: true, AbsenceReason: data.AbsenceOther, AbsenceText: "Familiebezoek", Note: zoeNotes[1], UpdatedBy: "Mirjam", UpdatedAt: at}},
		data.DayRecord{Date: data.NewDate(2026, time.March, 2), GroupID: groupEg, ChildID: idAnna,
			Attendance: data.Attendance{CheckIn: &in, Note: "Anna slaapt slecht", UpdatedBy: "Mirjam", UpdatedAt: at}},
	)
	ds.Consents = append(ds.Consents,
		data.ConsentChange{ChildID: idZoe, Level: data.ConsentPortal, Given: data.NewDate(2025, time.September, 1), Source: data.ConsentFromForm, RecordedBy: "Kantoor", RecordedAt: at},
		data.ConsentChange{ChildID: idZoe, Level: data.ConsentNone, Given: data.NewDate(2026, time.February, 1), Source: data.ConsentFromPhone, RecordedBy: "Kantoor", RecordedAt: at, Note: "Ingetrokken door vader"},
		data.ConsentChange{ChildID: idAnna, Level: data.ConsentPublic, Given: data.NewDate(2025, time.September, 1), Source: data.ConsentFromForm, RecordedBy: "Kantoor", RecordedAt: at},
	)
	ds.StudyDays = []data.StudyDay{{SchoolID: 1, Date: zoeStudyDay, Name: "Studiedag"}}
	ds.SignUps = []data.SignUp{{ID: 1, SchoolID: 1, Date: zoeStudyDay, ChildID: idZoe, GroupID: groupUi,
		Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}, RegisteredBy: "Kantoor", RegisteredAt: at, ChangedAt: at}}
	return ds
}

// privacyStore seeds privacyDataset on a file and adds, through the write
// paths of the attendance list and the child's card, today's check-in with a
// note, two absences that earn credit, a request paid from that credit
// (approved) and one invoiced with an override reason (rejected). The
// store's clock reads *now.
func privacyStore(t *testing.T, now *time.Time) (*boltstore.DB, string) {
	t.Helper()
	*now = storeNow
	db, path := datatest.Open(t, datatest.Moving(now), datatest.Seeded(privacyDataset(t)))
	today := data.DayEdit{Date: storeToday, GroupID: groupUi, ChildID: idZoe, By: "Mirjam"}
	if err := db.CheckIn(t.Context(), today, data.NewClock(8, 30)); err != nil {
		t.Fatal(err)
	}
	if err := db.SetNote(t.Context(), today, zoeNotes[2]); err != nil {
		t.Fatal(err)
	}
	for _, day := range []data.Date{wednesday, thursday} {
		if a := reportAbsence(t, db, idZoe, day); a.Credit == nil {
			t.Fatalf("absence on %s earned nothing (%s)", day, a.NoCredit)
		}
	}
	draft := data.RequestDraft{ChildID: idZoe, GroupID: groupUi, Date: friday, Times: bsoTimes, Product: data.ProductBSOSchoolDay,
		Channel: data.ChannelGroup, By: "Mirjam"}
	paid := submitProposed(t, db, draft)
	if paid.Payment.CreditMinutes() != 210 {
		t.Fatalf("request paid %+v, want 210 minutes of credit", paid.Payment)
	}
	if err := db.ApproveRequest(t.Context(), paid.ID, "Mirjam"); err != nil {
		t.Fatal(err)
	}
	draft.Date, draft.Channel = friday.AddDays(7), data.ChannelOffice
	p, err := db.PreviewRequest(t.Context(), draft)
	if err != nil || p.Problem != nil {
		t.Fatalf("preview: %v / %v", err, p.Problem)
	}
	invoiced, err := db.SubmitRequest(t.Context(), draft, p.Proposal.InvoiceAnyway(210, zoeReasons[1]))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RejectRequest(t.Context(), invoiced.ID, "Mirjam", zoeReasons[0]); err != nil {
		t.Fatal(err)
	}
	return db, path
}

func TestChildRecord_AVG_HoldsEveryKindOfRecord(t *testing.T) {
	var now time.Time
	db, _ := privacyStore(t, &now)

	rec, err := db.ChildRecord(t.Context(), idZoe)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Child.Name() != "Zoë "+zoeLast || len(rec.Child.Picture) == 0 || rec.Child.BirthDate != data.NewDate(2018, time.February, 14) {
		t.Errorf("child %+v, want Zoë with birth date and picture", rec.Child)
	}
	if rec.Location.Name != "Het Klavertje" || rec.School == nil || rec.School.Name != "De Wilgen" || !rec.ExportedAt.Equal(storeNow) {
		t.Errorf("location %+v, school %+v, exported at %v", rec.Location, rec.School, rec.ExportedAt)
	}
	if len(rec.Groups) != 1 || rec.Groups[0].Name != "Uilen" {
		t.Errorf("groups %+v, want Uilen only", rec.Groups)
	}
	if len(rec.Contracts) != 1 || rec.Contracts[0].ID != contractZoe {
		t.Errorf("contracts %+v", rec.Contracts)
	}
	var dates []data.Date
	var notes []string
	for _, a := range rec.Attendance {
		dates = append(dates, a.Date)
		if a.Attendance.Note != "" {
			notes = append(notes, a.Attendance.Note)
		}
	}
	wantDates := []data.Date{data.NewDate(2026, time.March, 2), data.NewDate(2026, time.March, 3), storeToday, wednesday, thursday}
	if !slices.Equal(dates, wantDates) || !slices.Equal(notes, zoeNotes) {
		t.Errorf("attendance on %v with notes %q; want %v with %q", dates, notes, wantDates, zoeNotes)
	}
	if a := rec.Attendance[3].Attendance; !a.Absent || a.Credit == nil {
		t.Errorf("reported absence %+v, want absent with credit", a)
	}
	if len(rec.Credit) != 2 || rec.Credit[0].Spent != 210 || rec.Credit[0].ChildID != idZoe {
		t.Errorf("credit %+v, want two entries, the first spent on the request", rec.Credit)
	}
	if len(rec.Requests) != 2 || rec.Requests[0].Status != data.StatusApproved || rec.Requests[1].Status != data.StatusRejected ||
		rec.Requests[1].Reason != zoeReasons[0] || rec.Requests[1].Payment.OverrideReason != zoeReasons[1] {
		t.Errorf("requests %+v", rec.Requests)
	}
	if len(rec.Consent) != 2 || rec.Consent[1].Level != data.ConsentNone || rec.Consent[1].Note != "Ingetrokken door vader" {
		t.Errorf("consent history %+v", rec.Consent)
	}
	if len(rec.SignUps) != 1 || rec.SignUps[0].Date != zoeStudyDay {
		t.Errorf("sign-ups %+v", rec.SignUps)
	}

	anna, err := db.ChildRecord(t.Context(), idAnna)
	if err != nil {
		t.Fatal(err)
	}
	if len(anna.Attendance) != 1 || anna.Attendance[0].Attendance.Note != "Anna slaapt slecht" || len(anna.Requests)+len(anna.SignUps)+len(anna.Credit) != 0 {
		t.Errorf("Anna's record %+v holds someone else's data", anna)
	}
	if _, err := db.ChildRecord(t.Context(), 99); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("unknown child: %v, want ErrNotFound", err)
	}
}

func TestPurgeExpired_AVG_RemovesPersonalDataKeepsBilling(t *testing.T) {
	var now time.Time
	db, _ := privacyStore(t, &now)
	before, err := db.ChildRecord(t.Context(), idZoe)
	if err != nil {
		t.Fatal(err)
	}

	// 24 months after 30 April 2026 is 30 April 2028: kept until that day.
	now = time.Date(2028, time.April, 30, 12, 0, 0, 0, time.Local)
	if res, err := db.PurgeExpired(t.Context()); err != nil || len(res.Children) != 0 {
		t.Fatalf("on the last day of retention: purged %v, %v; want nothing", res.Children, err)
	}
	now = now.Add(24 * time.Hour)
	var changes []data.Change
	datatest.Subscribe(t, db, func(c data.Change) { changes = append(changes, c) })
	res, err := db.PurgeExpired(t.Context())
	if err != nil || !slices.Equal(res.Children, []data.ID{idZoe}) {
		t.Fatalf("purged %v, %v; want Zoë only", res.Children, err)
	}
	if !slices.ContainsFunc(changes, func(c data.Change) bool { return c.Kind == data.ChangeCatalog }) {
		t.Errorf("changes %+v: open screens are not told", changes)
	}

	after, err := db.ChildRecord(t.Context(), idZoe)
	if err != nil {
		t.Fatal(err)
	}
	c := after.Child
	if c.Name() != "Verwijderd kind #20" || !c.BirthDate.IsZero() || c.Picture != nil || c.SchoolID != 0 || c.RemovedOn != data.NewDate(2028, time.May, 1) ||
		c.Number != "" || c.Contacts != nil {
		t.Errorf("child after purge %+v", c)
	}
	if _, err := db.ChildByNumber(t.Context(), zoeNumber); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("the planning number still leads to the removed child: %v", err)
	}
	if len(after.Consent) != 0 || after.School != nil {
		t.Errorf("consent history %+v and school %+v remain", after.Consent, after.School)
	}
	if cs, _ := db.Consent(t.Context(), idZoe); cs.Level != data.ConsentNotAnswered {
		t.Errorf("current consent level %q remains", cs.Level)
	}
	overview, err := db.ConsentOverview(t.Context(), 1, 0)
	if err != nil || slices.ContainsFunc(overview, func(r data.ConsentRow) bool { return r.Child.ID == idZoe }) ||
		!slices.ContainsFunc(overview, func(r data.ConsentRow) bool { return r.Child.ID == idAnna }) {
		t.Errorf("consent overview %+v, %v: want Anna, not the removed child", overview, err)
	}
	if len(after.Attendance) != len(before.Attendance) {
		t.Fatalf("%d attendance records, want the %d there were", len(after.Attendance), len(before.Attendance))
	}
	for i, a := range after.Attendance {
		b := before.Attendance[i]
		if a.Attendance.Note != "" || a.Attendance.AbsenceReason != "" || a.Attendance.AbsenceText != "" {
			t.Errorf("record of %s keeps note %q, reason %q %q", a.Date, a.Attendance.Note, a.Attendance.AbsenceReason, a.Attendance.AbsenceText)
		}
		if a.Attendance.Absent != b.Attendance.Absent || !slices.Equal(clocks(a.Attendance), clocks(b.Attendance)) || !equalCredit(a.Attendance.Credit, b.Attendance.Credit) {
			t.Errorf("record of %s: %+v, want the times and credit of %+v", a.Date, a.Attendance, b.Attendance)
		}
	}
	if !slices.Equal(after.Credit, before.Credit) || !slices.EqualFunc(after.SignUps, before.SignUps, sameSignUp) || !slices.EqualFunc(after.Contracts, before.Contracts, sameContract) {
		t.Errorf("billing records changed:\ncredit %+v\nwas    %+v", after.Credit, before.Credit)
	}
	for i, r := range after.Requests {
		b := before.Requests[i]
		if r.Reason != "" || r.Payment.OverrideReason != "" {
			t.Errorf("request %d keeps reasons %q / %q", r.ID, r.Reason, r.Payment.OverrideReason)
		}
		if r.Status != b.Status || r.Payment.InvoiceMinutes != b.Payment.InvoiceMinutes || !slices.Equal(r.Payment.Allocations, b.Payment.Allocations) || r.Date != b.Date {
			t.Errorf("request %d: %+v, want the payment of %+v", r.ID, r, b)
		}
	}

	anna, err := db.ChildRecord(t.Context(), idAnna)
	if err != nil {
		t.Fatal(err)
	}
	if anna.Child.Name() != "Anna Bakker" || len(anna.Consent) != 1 || anna.Attendance[0].Attendance.Note != "Anna slaapt slecht" {
		t.Errorf("Anna, whose care goes on, lost data: %+v", anna)
	}
	if res, err := db.PurgeExpired(t.Context()); err != nil || len(res.Children) != 0 {
		t.Errorf("a second purge removed %v, %v; want nothing", res.Children, err)
	}
}

func clocks(a data.Attendance) []data.Clock {
	var out []data.Clock
	for _, c := range []*data.Clock{a.CheckIn, a.CheckOut} {
		if c != nil {
			out = append(out, *c)
		}
	}
	return out
}

func equalCredit(a, b *data.CreditRef) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func sameSignUp(a, b data.SignUp) bool {
	return a.ID == b.ID && a.Date == b.Date && a.Times == b.Times && a.GroupID == b.GroupID && a.Cancelled == b.Cancelled
}

func sameContract(a, b data.Contract) bool {
	return a.ID == b.ID && a.Start == b.Start && a.End == b.End && a.Product == b.Product && slices.Equal(a.Days, b.Days)
}

// TestPurge_AVG_CompactionLeavesNoOldBytes reads the data file itself: once
// purged and compacted, Zoë's name, notes, consent note and picture are
// nowhere in it, while Anna's data are, and the file is whole.
func TestPurge_AVG_CompactionLeavesNoOldBytes(t *testing.T) {
	var now time.Time
	db, path := privacyStore(t, &now)
	gone := [][]byte{[]byte(zoeLast), []byte("Ingetrokken door vader"), []byte("Familiebezoek"), zoePicture(t), []byte(zoeNumber), []byte(zoeParent)}
	for _, n := range zoeNotes {
		gone = append(gone, []byte(n))
	}
	for _, r := range zoeReasons {
		gone = append(gone, []byte(r))
	}
	db.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gone {
		if !bytes.Contains(raw, g) {
			t.Fatalf("the file never held %q: the test would prove nothing", g)
		}
	}

	now = time.Date(2028, time.May, 1, 9, 0, 0, 0, time.Local)
	clock := boltstore.WithClock(func() time.Time { return now })
	holder, err := boltstore.Open(path, clock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := boltstore.Purge(t.Context(), path, clock); !errors.Is(err, data.ErrInUse) {
		t.Errorf("purge while the app has the file open: %v, want ErrInUse", err)
	}
	holder.Close()

	res, err := boltstore.Purge(t.Context(), path, clock)
	if err != nil || !slices.Equal(res.Children, []data.ID{idZoe}) || !res.Compacted {
		t.Fatalf("Purge: %+v, %v", res, err)
	}
	raw, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gone {
		if bytes.Contains(raw, g) {
			t.Errorf("the compacted file still holds %.40q", g)
		}
	}
	if !bytes.Contains(raw, []byte("Anna slaapt slecht")) || !bytes.Contains(raw, []byte("Bakker")) {
		t.Error("the compacted file lost Anna's data")
	}
	if err := boltstore.VerifyFile(path); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if e.Name() != filepath.Base(path) && e.Name() != "backups" {
			t.Errorf("left behind: %s", e.Name())
		}
	}

	db, err = boltstore.Open(path, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if c, err := db.Child(t.Context(), idZoe); err != nil || c.Name() != "Verwijderd kind #20" {
		t.Errorf("after compaction: %+v, %v", c, err)
	}
	if l, err := db.DayList(t.Context(), groupEg, data.NewDate(2028, time.May, 1)); err != nil || len(l.Rows) != 2 {
		t.Errorf("Egeltjes' list after compaction: %d rows, %v", len(l.Rows), err)
	}
	db.Close()
	if res, err := boltstore.Purge(t.Context(), path, clock); err != nil || len(res.Children) != 0 || res.Compacted {
		t.Errorf("a second purge: %+v, %v; want nothing removed and no compaction", res, err)
	}
}

func TestDailyBackup_AVG_NothingOlderThanRetention(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.Local)
	db, path := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	s, _ := db.Settings(t.Context())
	s.RetentionMonths = 2
	if err := db.SaveSettings(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	dir := boltstore.BackupDir(path)
	os.MkdirAll(dir, 0o700)
	for _, name := range []string{
		"locatiedesk-2026-09-19.db",                      // a daily backup older than two months
		"locatiedesk-2026-09-20.db",                      // two months old to the day: kept
		"locatiedesk-before-schema-5-20260901-120000.db", // made before an upgrade, long ago
		"locatiedesk-before-schema-6-20261101-120000.db",
		"my-own-copy-2020-01-01.db", // not the program's: never touched
	} {
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600)
	}
	if _, err := db.DailyBackup(t.Context(), dir, 14); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"locatiedesk-2026-09-20.db", "locatiedesk-2026-11-20.db", "locatiedesk-before-schema-6-20261101-120000.db", "my-own-copy-2020-01-01.db"}
	if !slices.Equal(names, want) {
		t.Errorf("backups %v, want %v", names, want)
	}
}

// TestOpen_AVG_MigrationIndexesAttendanceByChild upgrades a file of schema 5
// (before attendance-by-child): the migration indexes every record stored so
// far, so the export holds the child's whole history.
func TestOpen_AVG_MigrationIndexesAttendanceByChild(t *testing.T) {
	var now time.Time
	db, path := privacyStore(t, &now)
	want, err := db.ChildRecord(t.Context(), idZoe)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("attendance-by-child")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("version"), []byte{0, 0, 0, 0, 0, 0, 0, 5})
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}

	db, _ = newStore(t, datatest.Path(path))
	got, err := db.ChildRecord(t.Context(), idZoe)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Attendance) != 5 || !slices.EqualFunc(got.Attendance, want.Attendance, func(a, b data.AttendanceRecord) bool {
		return a.Date == b.Date && a.GroupID == b.GroupID && a.Attendance.Note == b.Attendance.Note
	}) {
		t.Errorf("after migrating: %d records %+v, want the 5 there are", len(got.Attendance), got.Attendance)
	}
	if anna, _ := db.ChildRecord(t.Context(), idAnna); len(anna.Attendance) != 1 {
		t.Errorf("Anna's records after migrating: %+v", anna.Attendance)
	}
}

// TestModel_AVG_NoBSNOrHealthFieldsReachListsOrSheets walks every type the
// attendance list and the printed sheets are built from: none has a field
// for a citizen service number (BSN) or health data, so neither can show
// one. Health comes closest in an absence reason "sick" and in free-text
// notes, which A4 puts on the list for staff and PurgeExpired removes; the
// sheets take no attendance at all. A field added later with such a name
// fails here, so whoever adds it decides where it may appear.
func TestModel_AVG_NoBSNOrHealthFieldsReachListsOrSheets(t *testing.T) {
	forbidden := []string{"bsn", "burgerservice", "citizenservice", "socialsecurity", "sofi", "health", "gezondheid",
		"medic", "medisch", "allerg", "diagnos", "illness", "ziekte", "handicap", "disabil"}
	seen := map[reflect.Type]bool{}
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			name := strings.ToLower(f.Name + " " + f.Tag.Get("json"))
			for _, word := range forbidden {
				if strings.Contains(name, word) {
					t.Errorf("%s.%s looks like a BSN or health field (%q): decide whether lists and printed sheets may show it", path, f.Name, word)
				}
			}
			walk(path+"."+f.Name, f.Type)
		}
	}
	for _, v := range []any{data.DayList{}, data.StudyDaySheet{}, data.ConsentRow{}} {
		walk(reflect.TypeOf(v).Name(), reflect.TypeOf(v))
	}
	if !seen[reflect.TypeOf(data.Child{})] || !seen[reflect.TypeOf(data.Attendance{})] {
		t.Fatal("the walk did not reach Child and Attendance")
	}
}
