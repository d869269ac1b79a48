package boltstore

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// Upgrades from real files of every older schema. testdata/schemas/schema-<v>.db
// was written by the build that had schema v (its README names the commit and
// the command), with a little data in every bucket that schema had: two
// locations, four children, attendance, and from the schemas that had them a
// study-day sign-up, users, photo consent, requests with credit and an
// invoicing export. A file of schema 0 is a new, empty file.

// upgradeChecks holds, for every schema v a file can be in, what opening such
// a file with this build must show: that migrations[v] did its job on the data
// the file held, and that the data schema v had still reads back. A new
// migration needs a saved file of the schema before it and an entry here
// (TestMigrations_EveryMigrationHasAnUpgradeTest).
var upgradeChecks = map[uint64]func(t *testing.T, db *DB){
	0: func(t *testing.T, db *DB) { // the initial bucket tree, with the default settings
		wantBuckets(t, db, bucketSettings, bucketLocations, bucketGroups, bucketChildren, bucketPictures,
			bucketContracts, bucketContractsByGroup, bucketSchools, bucketHolidays, bucketClosingDays,
			bucketExtras, bucketAttendance)
		if s, err := db.Settings(t.Context()); err != nil || !reflect.DeepEqual(s, data.DefaultSettings()) {
			t.Errorf("settings of a new file: %+v, %v; want the defaults", s, err)
		}
		if empty, err := db.IsEmpty(t.Context()); err != nil || !empty {
			t.Errorf("a new file holds locations (empty %v, %v)", empty, err)
		}
	},
	1: func(t *testing.T, db *DB) { // study days and their sign-ups
		wantBuckets(t, db, bucketStudyDays, bucketSignUps, bucketSignUpsByDate)
		if days, err := db.StudyDays(t.Context(), data.NewDate(2026, 1, 1), data.NewDate(2026, 12, 31)); err != nil || len(days) != 0 {
			t.Errorf("study days of a file from before them: %v, %v", days, err)
		}
		checkUpgradedCatalog(t, db)
		checkUpgradedDayLists(t, db)
	},
	2: func(t *testing.T, db *DB) { // people who sign in, and the audit log
		wantBuckets(t, db, bucketUsers, bucketAudit)
		if users, err := db.Users(t.Context()); err != nil || len(users) != 0 {
			t.Errorf("users of a file from before them: %v, %v", users, err)
		}
		checkUpgradedCatalog(t, db)
		checkUpgradedDayLists(t, db)
		checkUpgradedStudyDay(t, db)
	},
	3: func(t *testing.T, db *DB) { // photo consent
		wantBuckets(t, db, bucketConsentHistory, bucketConsentCurrent)
		if c, err := db.Consent(t.Context(), 1); err != nil || c.Level != data.ConsentNotAnswered || len(c.History) != 0 {
			t.Errorf("Zoë's consent in a file from before consent: %+v, %v; want not answered", c, err)
		}
		checkUpgradedCatalog(t, db)
		checkUpgradedDayLists(t, db)
		checkUpgradedStudyDay(t, db)
		checkUpgradedUsers(t, db)
	},
	4: func(t *testing.T, db *DB) { // credit and requests; the contracts stored so far indexed by child
		wantBuckets(t, db, bucketCredit, bucketCreditGrants, bucketRequests, bucketRequestsOpen, bucketRequestsByChild)
		wantIndex(t, db, "contracts by child", map[data.ID]int{1: 2, 2: 1, 3: 1, 4: 1}, bucketContractsByChild)
		if rs, err := db.ChildRequests(t.Context(), 2); err != nil || len(rs) != 0 {
			t.Errorf("Daniël's requests in a file from before requests: %v, %v", rs, err)
		}
		checkUpgradedCatalog(t, db)
		checkUpgradedDayLists(t, db)
		checkUpgradedStudyDay(t, db)
		checkUpgradedUsers(t, db)
		checkUpgradedConsent(t, db)
	},
	5: func(t *testing.T, db *DB) { // attendance indexed by child, with the absence reported ahead
		wantIndex(t, db, "attendance by child", map[data.ID]int{1: 2, 2: 3, 4: 1}, bucketAttendanceByChild)
		rec, err := db.ChildRecord(t.Context(), 2)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range rec.Attendance {
			got = append(got, fmt.Sprintf("%s %s", a.Date, a.Attendance.AbsenceReason))
		}
		if want := "2026-11-13 sick, 2026-11-16 day-off, 2026-11-18 day-off"; strings.Join(got, ", ") != want {
			t.Errorf("Daniël's records through the new index: %q, want %q", strings.Join(got, ", "), want)
		}
		checkUpgradedCatalog(t, db)
		checkUpgradedDayLists(t, db)
		checkUpgradedStudyDay(t, db)
		checkUpgradedUsers(t, db)
		checkUpgradedConsent(t, db)
		checkUpgradedRequests(t, db)
	},
	6: func(t *testing.T, db *DB) { // export batches and the exported index
		wantBuckets(t, db, bucketExportBatches, bucketExportLines, bucketExported)
		if batches, err := db.InvoiceBatches(t.Context()); err != nil || len(batches) != 0 {
			t.Errorf("export batches of a file from before exports: %v, %v", batches, err)
		}
		checkUpgradedCatalog(t, db)
		checkUpgradedDayLists(t, db)
		checkUpgradedStudyDay(t, db)
		checkUpgradedUsers(t, db)
		checkUpgradedConsent(t, db)
		checkUpgradedRequests(t, db)
	},
	7: func(t *testing.T, db *DB) { // a location's children indexed by location
		wantIndex(t, db, "children by location", map[data.ID]int{1: 3, 2: 1}, bucketChildrenByLocation)
		checkUpgradedCatalog(t, db) // Children(location) reads the new index
		checkUpgradedDayLists(t, db)
		checkUpgradedStudyDay(t, db)
		checkUpgradedUsers(t, db)
		checkUpgradedConsent(t, db)
		checkUpgradedRequests(t, db)
		checkUpgradedExport(t, db)
	},
	8: func(t *testing.T, db *DB) { // children indexed by their planning-system number
		err := db.view(t.Context(), func(tx *bolt.Tx) error {
			if n := tx.Bucket(bucketChildrenByNumber).Stats().KeyN; n != 3 {
				t.Errorf("children by number: %d entries, want 3 (Łukasz has no number)", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for number, want := range map[string]string{"K-101": "Zoë", "K-102": "Daniël", "B-201": "Ayşe"} {
			if c, err := db.ChildByNumber(t.Context(), number); err != nil || c.FirstName != want {
				t.Errorf("child %s: %q, %v; want %s", number, c.FirstName, err, want)
			}
		}
		checkUpgradedCatalog(t, db)
		checkUpgradedDayLists(t, db)
		checkUpgradedStudyDay(t, db)
		checkUpgradedUsers(t, db)
		checkUpgradedConsent(t, db)
		checkUpgradedRequests(t, db)
		checkUpgradedExport(t, db)
	},
	9: func(t *testing.T, db *DB) { // paired devices and their pairing codes
		wantBuckets(t, db, bucketDevices, bucketPairingCodes)
		if devices, err := db.Devices(t.Context()); err != nil || len(devices) != 0 {
			t.Errorf("devices of a file from before pairing: %v, %v", devices, err)
		}
		code, err := db.CreatePairingCode(t.Context(), "Rupsjes tablet")
		if err != nil {
			t.Fatalf("a pairing code in an upgraded file: %v", err)
		}
		if d, err := db.PairDevice(t.Context(), code.ID, "", data.HashCredential("geheim")); err != nil || d.Name != "Rupsjes tablet" {
			t.Errorf("a device paired in an upgraded file: %+v, %v", d, err)
		}
		checkUpgradedCatalog(t, db)
		checkUpgradedDayLists(t, db)
		checkUpgradedStudyDay(t, db)
		checkUpgradedUsers(t, db)
		checkUpgradedConsent(t, db)
		checkUpgradedRequests(t, db)
		checkUpgradedExport(t, db)
	},
	10: func(t *testing.T, db *DB) { // the keys of applied writes
		wantBuckets(t, db, bucketWriteKeys, bucketWriteKeysBySeq)
		ctx := data.WithWriteKey(t.Context(), "after-upgrade")
		if err := db.LogPrint(ctx, "after the upgrade"); err != nil {
			t.Fatalf("a keyed write on the upgraded file: %v", err)
		}
		if err := db.LogPrint(ctx, "after the upgrade"); !errors.Is(err, data.ErrAlreadyApplied) {
			t.Errorf("its retry: %v, want ErrAlreadyApplied", err)
		}
		checkUpgradedDevices(t, db)
		checkUpgradedCatalog(t, db)
		checkUpgradedDayLists(t, db)
		checkUpgradedStudyDay(t, db)
		checkUpgradedUsers(t, db)
		checkUpgradedConsent(t, db)
		checkUpgradedRequests(t, db)
		checkUpgradedExport(t, db)
	},
}

// checkUpgradedDevices: the tablet paired in schema-10.db and the code
// still open there read back.
func checkUpgradedDevices(t *testing.T, db *DB) {
	t.Helper()
	devices, err := db.Devices(t.Context())
	if err != nil || len(devices) != 1 || devices[0].Name != "Rupsjes tablet" || !devices[0].RevokedAt.IsZero() {
		t.Errorf("devices: %+v, %v; want the Rupsjes tablet, not revoked", devices, err)
	}
	codes, err := db.PendingPairings(t.Context())
	if err != nil || len(codes) != 1 || codes[0].DeviceName != "Vlinders tablet" {
		t.Errorf("open pairing codes: %+v, %v; want the one for the Vlinders tablet", codes, err)
	}
}

// savedSchemaFile is the file the build of schema v wrote.
func savedSchemaFile(v uint64) string {
	return filepath.Join("testdata", "schemas", fmt.Sprintf("schema-%d.db", v))
}

// TestMigrations_EveryMigrationHasAnUpgradeTest fails for a migration without
// a saved file of the schema it upgrades and a check of what it did.
func TestMigrations_EveryMigrationHasAnUpgradeTest(t *testing.T) {
	for v := range uint64(len(migrations)) {
		if upgradeChecks[v] == nil {
			t.Errorf("migration %d → %d has no entry in upgradeChecks: say what it must have done to a file of schema %d", v, v+1, v)
		}
		if v == 0 {
			continue // a file of schema 0 is a new file; the test makes it
		}
		if _, err := os.Stat(savedSchemaFile(v)); err != nil {
			t.Errorf("migration %d → %d has no saved file of schema %d: write %s with the build before the migration (see testdata/schemas/README): %v",
				v, v+1, v, savedSchemaFile(v), err)
		}
	}
	for v := range upgradeChecks {
		if v >= uint64(len(migrations)) {
			t.Errorf("upgradeChecks has an entry for schema %d, but this build's schema is %d", v, len(migrations))
		}
	}
}

// TestMigrations_UpgradeSavedFiles opens each saved file with this build: the
// migrations from its schema on run once, the data reads back, and opening
// the upgraded file again writes nothing.
func TestMigrations_UpgradeSavedFiles(t *testing.T) {
	for v := range uint64(len(migrations)) {
		t.Run(fmt.Sprintf("schema-%d", v), func(t *testing.T) {
			check := upgradeChecks[v]
			if check == nil {
				t.Fatalf("no upgrade check for schema %d", v)
			}
			path := filepath.Join(t.TempDir(), "locatiedesk.db")
			if v == 0 {
				if err := os.WriteFile(path, nil, 0o600); err != nil {
					t.Fatal(err)
				}
			} else {
				copySavedSchemaFile(t, v, path)
			}

			db, err := Open(path, upgradeClock)
			if err != nil {
				t.Fatalf("open a file of schema %d: %v", v, err)
			}
			check(t, db)
			err = db.view(t.Context(), func(tx *bolt.Tx) error {
				if got := btoi(tx.Bucket(bucketMeta).Get(keyVersion)); got != SchemaVersion {
					t.Errorf("schema after the upgrade: %d, want %d", got, SchemaVersion)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}

			upgraded, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			db, err = Open(path, upgradeClock)
			if err != nil {
				t.Fatalf("open the upgraded file again: %v", err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if again, _ := os.ReadFile(path); !bytes.Equal(upgraded, again) {
				t.Error("opening the upgraded file again wrote to it")
			}
		})
	}
}

// upgradeClock is the day the saved files were written on, a Monday: the
// demo-like data in them is about that week.
var upgradeClock = WithClock(func() time.Time { return time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC) })

// copySavedSchemaFile copies the saved file of schema v to path, after
// checking it is of that schema, so a test never upgrades the saved file itself.
func copySavedSchemaFile(t *testing.T, v uint64, path string) {
	t.Helper()
	raw, err := os.ReadFile(savedSchemaFile(v))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.View(func(tx *bolt.Tx) error {
		if got := btoi(tx.Bucket(bucketMeta).Get(keyVersion)); got != v {
			return fmt.Errorf("%s is of schema %d, not %d", savedSchemaFile(v), got, v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// wantBuckets fails unless every named top-level bucket is there.
func wantBuckets(t *testing.T, db *DB, names ...[]byte) {
	t.Helper()
	err := db.view(t.Context(), func(tx *bolt.Tx) error {
		for _, name := range names {
			if tx.Bucket(name) == nil {
				t.Errorf("no bucket %s after the upgrade", name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// wantIndex compares the number of entries under each ID of an index bucket.
func wantIndex(t *testing.T, db *DB, what string, want map[data.ID]int, index []byte) {
	t.Helper()
	got := map[data.ID]int{}
	err := db.view(t.Context(), func(tx *bolt.Tx) error {
		b := tx.Bucket(index)
		if b == nil {
			return fmt.Errorf("no bucket %s after the upgrade", index)
		}
		return b.ForEachBucket(func(k []byte) error {
			got[data.ID(btoi(k))] = b.Bucket(k).Stats().KeyN
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: entries per ID %v, want %v", what, got, want)
	}
}

// checkUpgradedCatalog: the locations, children, contracts and calendar of
// every saved file read back.
func checkUpgradedCatalog(t *testing.T, db *DB) {
	t.Helper()
	locations, err := db.Locations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range locations {
		names = append(names, l.Name)
	}
	if got := strings.Join(names, ", "); got != "De Vlinder, Het Anker" {
		t.Errorf("locations: %s", got)
	}
	for location, want := range map[data.ID]string{1: "Ayşe Yılmaz, Daniël Dvořák, Zoë de Vries", 2: "Łukasz Kowalski"} {
		children, err := db.Children(t.Context(), location)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range children {
			names = append(names, c.Name())
		}
		if got := strings.Join(names, ", "); got != want {
			t.Errorf("children of location %d: %s, want %s", location, got, want)
		}
	}
	if contracts, err := db.Contracts(t.Context(), 1); err != nil || len(contracts) != 2 {
		t.Errorf("Zoë's contracts: %d, %v; want the daycare and the flexible one", len(contracts), err)
	}
	cal, err := db.SchoolCalendar(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Holidays) != 1 || cal.Holidays[0].Name != "Kerstvakantie" {
		t.Errorf("the school's holidays: %+v, want the Christmas holiday", cal.Holidays)
	}
	if list, err := db.DayList(t.Context(), 1, data.NewDate(2026, 12, 25)); err != nil || !list.Closed || list.ClosedReason != "Eerste Kerstdag" {
		t.Errorf("Christmas Day: closed %v (%q), %v; want closed for Eerste Kerstdag", list.Closed, list.ClosedReason, err)
	}
}

// checkUpgradedDayLists: the lists of the Friday and Monday the saved files
// hold attendance for read back, row by row.
func checkUpgradedDayLists(t *testing.T, db *DB) {
	t.Helper()
	for _, c := range []struct {
		group data.ID
		date  data.Date
		want  string
	}{
		{1, data.NewDate(2026, 11, 13), "Daniël absent sick; Zoë in 08:05 out 17:30"},
		{1, data.NewDate(2026, 11, 16), "Daniël absent day-off; Zoë in 07:45"},
		{2, data.NewDate(2026, 11, 16), "Ayşe expected 15:00–18:30"},
		{3, data.NewDate(2026, 11, 16), "Łukasz in 08:15 note slaapt slecht"},
	} {
		if got := dayListText(t, db, c.group, c.date); got != c.want {
			t.Errorf("list of group %d on %s: %q, want %q", c.group, c.date, got, c.want)
		}
	}
	rec, err := db.ChildRecord(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Attendance) != 2 || rec.Attendance[0].Date != data.NewDate(2026, 11, 13) || rec.Attendance[1].Date != data.NewDate(2026, 11, 16) {
		t.Errorf("Zoë's attendance in her record: %+v, want Friday and Monday", rec.Attendance)
	}
}

// dayListText is a group's list on a date in short words, row by row.
func dayListText(t *testing.T, db *DB, group data.ID, d data.Date) string {
	t.Helper()
	list, err := db.DayList(t.Context(), group, d)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, r := range list.Rows {
		row := r.Child.FirstName
		switch a := r.Attendance; {
		case a.Absent:
			row += " absent " + string(a.AbsenceReason)
		case a.CheckIn != nil:
			row += " in " + a.CheckIn.String()
			if a.CheckOut != nil {
				row += " out " + a.CheckOut.String()
			}
		default:
			row += " expected " + r.Expected.String()
		}
		if r.Attendance.Note != "" {
			row += " note " + r.Attendance.Note
		}
		if r.Source != data.SourceContract {
			row += " by " + string(r.Source)
		}
		rows = append(rows, row)
	}
	return strings.Join(rows, "; ")
}

// checkUpgradedStudyDay: the study day and Ayşe's sign-up on it read back,
// and put her on her group's list that day.
func checkUpgradedStudyDay(t *testing.T, db *DB) {
	t.Helper()
	studyDay := data.NewDate(2026, 11, 25)
	sheet, err := db.StudyDaySheet(t.Context(), 1, 1, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	var signed []string
	for _, r := range sheet.Rows {
		if r.SignUp != nil {
			signed = append(signed, r.Child.FirstName+" "+r.SignUp.Times.String())
		}
	}
	if sheet.StudyDay.Name != "Studiedag team" || strings.Join(signed, ", ") != "Ayşe 08:30–17:00" {
		t.Errorf("study day %q with sign-ups %v, want Studiedag team with Ayşe 08:30–17:00", sheet.StudyDay.Name, signed)
	}
	if got, want := dayListText(t, db, 2, studyDay), "Ayşe expected 08:30–17:00 by study-day"; got != want {
		t.Errorf("the BSO list on the study day: %q, want %q", got, want)
	}
}

// checkUpgradedUsers: the users read back, and a PIN stored by the older
// build still signs in.
func checkUpgradedUsers(t *testing.T, db *DB) {
	t.Helper()
	users, err := db.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, fmt.Sprintf("%s (%s)", u.Name, u.Role))
	}
	if got := strings.Join(names, ", "); got != "Marieke Bakker (manager), Sanne Visser (staff)" {
		t.Errorf("users: %s", got)
	}
	if a, err := db.SignIn(t.Context(), 2, "2580"); err != nil || a.Name != "Sanne Visser" {
		t.Errorf("Sanne signs in with the PIN the older build stored: %+v, %v", a, err)
	}
	if _, err := db.SignIn(t.Context(), 2, "0000"); !errors.Is(err, data.ErrWrongSecret) {
		t.Errorf("a wrong PIN: %v, want ErrWrongSecret", err)
	}
}

// checkUpgradedConsent: both of Zoë's answers and Ayşe's one read back.
func checkUpgradedConsent(t *testing.T, db *DB) {
	t.Helper()
	zoe, err := db.Consent(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if zoe.Level != data.ConsentPublic || zoe.Since != data.NewDate(2026, 11, 10) || len(zoe.History) != 2 || zoe.History[0].Level != data.ConsentPortal {
		t.Errorf("Zoë's consent: %s since %s after %d answers, want public since 2026-11-10 after portal", zoe.Level, zoe.Since, len(zoe.History))
	}
	ayse, err := db.Consent(t.Context(), 3)
	if err != nil {
		t.Fatal(err)
	}
	if ayse.Level != data.ConsentNone || len(ayse.History) != 1 || ayse.History[0].Note != "liever niet" {
		t.Errorf("Ayşe's consent: %s with %+v, want none, noted", ayse.Level, ayse.History)
	}
}

// checkUpgradedRequests: Daniël's extra Thursday, approved and paid from the
// credit of the Wednesday he reported off, and Zoë's open request read back.
func checkUpgradedRequests(t *testing.T, db *DB) {
	t.Helper()
	daniel, err := db.ChildRequests(t.Context(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(daniel) != 1 || daniel[0].Status != data.StatusApproved || daniel[0].Date != data.NewDate(2026, 11, 19) || daniel[0].Payment.CreditMinutes() == 0 {
		t.Errorf("Daniël's requests: %+v, want Thursday approved and paid from credit", daniel)
	}
	queue, err := db.OpenRequests(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 || queue[0].Child.FirstName != "Zoë" || queue[0].Request.Product != data.ProductQflexibel {
		t.Errorf("open requests of the babies: %+v, want Zoë's flexible Wednesday", queue)
	}
	if got, want := dayListText(t, db, 1, data.NewDate(2026, 11, 19)), "Daniël expected 07:30–18:00 by request; Zoë expected 07:30–18:00"; got != want {
		t.Errorf("Thursday's list: %q, want %q", got, want)
	}
	ledger, err := db.Ledger(t.Context(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ledger.Entries) != 1 || ledger.Entries[0].Origin != data.OriginKDVDay {
		t.Errorf("Daniël's credit: %+v, want the absence credit of Wednesday", ledger.Entries)
	}
}

// checkUpgradedExport: November's export batch and its lines read back.
func checkUpgradedExport(t *testing.T, db *DB) {
	t.Helper()
	batches, err := db.InvoiceBatches(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 1 || batches[0].Location != "De Vlinder" || batches[0].From != data.NewDate(2026, 11, 1) {
		t.Fatalf("export batches: %+v, want November at De Vlinder", batches)
	}
	var lines []string
	for l, err := range db.InvoiceLines(t.Context(), batches[0].ID) {
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%s %s %s", l.ChildName, l.Date, l.Source))
	}
	if len(lines) == 0 || len(lines) != batches[0].Lines {
		t.Errorf("lines of the batch: %v, want the %d it counts", lines, batches[0].Lines)
	}
}
