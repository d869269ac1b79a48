package pgstore_test

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// purger is a store with the retention purge: both bbolt's and PostgreSQL's.
type purger interface {
	data.Store
	PurgeExpired(ctx context.Context) (data.PurgeResult, error)
}

// retentionChildren are Zoë, whose BSO care ends on 30 April 2026, and
// Anna, whose care goes on, as a planning system exports them.
const retentionChildren = "kindnummer;voornaam;achternaam;geboortedatum;locatie;groep;product;dagen;begintijd;eindtijd;ingangsdatum;einddatum;school;flexuren;ouder_naam;ouder_telefoon;ouder_email;klantnummer\n" +
	"PL-4711;Zoë;Dvořák;14-02-2018;Het Klavertje;Uilen;bso schoolweken;ma,di,wo,do;15:00;18:30;2025-09-01;2026-04-30;De Wilgen;;Tomáš Kowalczyk;06-98765432;;C-1\n" +
	"PL-4712;Anna;Bakker;01-05-2024;Het Klavertje;Egeltjes;kdv;ma,di,wo,do,vr;07:30;18:00;2025-09-01;;;;Eva Bakker;06-12345678;;C-2\n"

// zoeNote and the other texts below are Zoë's personal data the purge removes.
const (
	zoeNote     = "Zoë is allergisch voor pinda's"
	zoeAbsence  = "Familiebezoek"
	zoeConsent  = "Ingetrokken door vader"
	zoeOverride = "Ouder wil liever een factuur"
	zoeRejected = "Groep vol; moeder Dvořák gebeld"
)

// retentionStory is what a purge story left to look at.
type retentionStory struct {
	answers        []string
	zoe, anna      data.Child
	before, after  data.ChildRecord
	annaBefore     data.ChildRecord
	annaAfter      data.ChildRecord
	purged, second data.PurgeResult
}

// playRetention gives Zoë every kind of record (attendance with notes, an
// absence in words, credit from reported absences, a request paid from it
// and one on invoice with reasons, consent given and withdrawn, a picture,
// a study-day sign-up) and Anna a note and consent; then runs the purge on
// the last day of Zoë's retention and on the day after, and records every
// answer as JSON.
func playRetention(t *testing.T, s purger, clock *storyClock) retentionStory {
	t.Helper()
	ctx := t.Context()
	a := answers{t: t}
	note, must := a.note, a.must
	var story retentionStory

	_, err := s.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Bewaar", Location: "Het Klavertje",
		Groups:  []data.GroupSetup{{Name: "Egeltjes", Care: data.KDV, Capacity: 12}, {Name: "Uilen", Care: data.BSO, Capacity: 20}},
		Manager: "Marieke de Manager", Secret: "wachtwoord-manager"})
	must("SetUp", err)
	uilen, err := s.GroupByName(ctx, "Uilen")
	must("GroupByName", err)
	egeltjes, err := s.GroupByName(ctx, "Egeltjes")
	must("GroupByName", err)
	_, err = s.ImportChildren(ctx, datatest.ParseChildFile(t, "planning.csv", retentionChildren, nil))
	must("ImportChildren", err)
	children, err := s.Children(ctx, uilen.LocationID)
	must("Children", err)
	for _, c := range children {
		switch c.FirstName {
		case "Zoë":
			story.zoe = c
		case "Anna":
			story.anna = c
		}
	}
	zoe, anna := story.zoe, story.anna
	if zoe.ID == 0 || anna.ID == 0 || zoe.SchoolID == 0 || len(zoe.Contacts) == 0 {
		t.Fatalf("the import made %+v", children)
	}
	must("SetChildPicture", s.SetChildPicture(ctx, zoe.ID, portrait(t)))
	given := data.NewDate(2025, time.September, 1)
	must("RecordConsent", s.RecordConsent(ctx, data.ConsentChange{ChildID: zoe.ID, Level: data.ConsentPortal, Given: given, Source: data.ConsentFromForm, RecordedBy: "Kantoor"}))
	must("RecordConsent", s.RecordConsent(ctx, data.ConsentChange{ChildID: zoe.ID, Level: data.ConsentNone, Given: data.NewDate(2026, time.February, 1),
		Source: data.ConsentFromPhone, RecordedBy: "Kantoor", Note: zoeConsent}))
	must("RecordConsent", s.RecordConsent(ctx, data.ConsentChange{ChildID: anna.ID, Level: data.ConsentPublic, Given: given, Source: data.ConsentFromForm, RecordedBy: "Kantoor"}))

	// Tuesday afternoon: Zoë comes with a note, Anna has one too.
	clock.add(7 * time.Hour)
	tuesday := data.DateOf(clock.read())
	zoeToday := data.DayEdit{Date: tuesday, GroupID: uilen.ID, ChildID: zoe.ID, By: "Mirjam"}
	must("CheckIn", s.CheckIn(ctx, zoeToday, data.NewClock(15, 5)))
	must("SetNote", s.SetNote(ctx, zoeToday, zoeNote))
	annaToday := data.DayEdit{Date: tuesday, GroupID: egeltjes.ID, ChildID: anna.ID, By: "Mirjam"}
	must("CheckIn", s.CheckIn(ctx, annaToday, data.NewClock(8, 0)))
	must("SetNote", s.SetNote(ctx, annaToday, "Anna slaapt slecht"))
	// Absences reported ahead earn credit; one on the day, in words.
	for _, day := range []data.Date{tuesday.AddDays(6), tuesday.AddDays(7)} {
		r, err := s.ReportAbsence(ctx, data.AbsenceReport{ChildID: zoe.ID, Date: day, Reason: data.AbsenceDayOff, By: "Mirjam"})
		note("ReportAbsence", r, err)
	}
	clock.add(24 * time.Hour)
	wednesday := tuesday.AddDays(1)
	must("MarkAbsentOther", s.MarkAbsentOther(ctx, data.DayEdit{Date: wednesday, GroupID: uilen.ID, ChildID: zoe.ID, By: "Mirjam"}, zoeAbsence))

	// A Friday paid from that credit, approved; the next on invoice
	// though credit could pay it, rejected.
	draft := data.RequestDraft{ChildID: zoe.ID, GroupID: uilen.ID, Date: tuesday.AddDays(10), Times: data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 0)},
		Product: data.ProductBSOSchoolDay, Channel: data.ChannelOffice, By: "Kantoor"}
	p, err := s.PreviewRequest(ctx, draft)
	note("PreviewRequest", p, err)
	paid, err := s.SubmitRequest(ctx, draft, p.Proposal.Payment)
	note("SubmitRequest paid", paid, err)
	if paid.Payment.CreditMinutes() == 0 {
		t.Fatalf("the request took no credit: %+v\n%s", paid.Payment, strings.Join(a.list, "\n"))
	}
	must("ApproveRequest", s.ApproveRequest(ctx, paid.ID, "Mirjam"))
	draft.Date = draft.Date.AddDays(7)
	p, err = s.PreviewRequest(ctx, draft)
	note("PreviewRequest", p, err)
	invoiced, err := s.SubmitRequest(ctx, draft, p.Proposal.InvoiceAnyway(180, zoeOverride))
	note("SubmitRequest invoiced", invoiced, err)
	must("RejectRequest", s.RejectRequest(ctx, invoiced.ID, "Mirjam", zoeRejected))

	studyDay := tuesday.AddDays(17) // a Friday, not a contract day
	must("AddStudyDay", s.AddStudyDay(ctx, data.StudyDay{SchoolID: zoe.SchoolID, Date: studyDay, Name: "Studiedag"}))
	must("RegisterSignUps", s.RegisterSignUps(ctx, data.SignUpRegistration{LocationID: uilen.LocationID, SchoolID: zoe.SchoolID, Date: studyDay, By: "Kantoor",
		Children: []data.SignUpEntry{{ChildID: zoe.ID, Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}}}}))

	story.before, err = s.ChildRecord(ctx, zoe.ID)
	must("ChildRecord", err)
	story.annaBefore, err = s.ChildRecord(ctx, anna.ID)
	must("ChildRecord", err)

	// 24 months after 30 April 2026 is 30 April 2028: kept until that day.
	clock.add(time.Date(2028, time.April, 30, 12, 0, 0, 0, time.Local).Sub(clock.read()))
	res, err := s.PurgeExpired(ctx)
	note("PurgeExpired on the last day", res, err)
	clock.add(24 * time.Hour)
	story.purged, err = s.PurgeExpired(ctx)
	note("PurgeExpired", story.purged, err)
	story.second, err = s.PurgeExpired(ctx)
	note("PurgeExpired again", story.second, err)

	story.after, err = s.ChildRecord(ctx, zoe.ID)
	note("ChildRecord Zoë", story.after, err)
	story.annaAfter, err = s.ChildRecord(ctx, anna.ID)
	annaRecord := story.annaAfter
	if len(annaRecord.SignUps) == 0 {
		// bbolt lists no sign-ups as [] once any child has one, PostgreSQL
		// as null: the same record, which the purge does not touch.
		annaRecord.SignUps = nil
	}
	note("ChildRecord Anna", annaRecord, err)
	consent, err := s.Consent(ctx, zoe.ID)
	note("Consent Zoë", consent, err)
	overview, err := s.ConsentOverview(ctx, uilen.LocationID, 0)
	note("ConsentOverview", overview, err)
	children, err = s.Children(ctx, 0)
	note("Children", children, err)
	ledger, err := s.Ledger(ctx, zoe.ID)
	note("Ledger Zoë", ledger, err)
	log, err := s.Audit(ctx, data.AuditFilter{})
	if err == nil {
		i := slices.IndexFunc(log, func(e data.AuditEntry) bool { return e.Action == data.AuditPurgeExpired })
		if i < 0 {
			t.Errorf("the purge is not in the log: %+v", log)
		} else {
			note("the purge's log entry", []any{log[i].Who, log[i].Changes}, nil)
		}
	}
	story.answers = a.list
	return story
}

// checkPurged holds what the purge must have done to Zoë and Anna.
func checkPurged(t *testing.T, store string, s retentionStory) {
	t.Helper()
	if len(s.purged.Children) != 1 || s.purged.Children[0] != s.zoe.ID || len(s.second.Children) != 0 {
		t.Fatalf("%s: purged %v, then %v; want Zoë once", store, s.purged.Children, s.second.Children)
	}
	c := s.after.Child
	if c.Name() != data.RemovedChildFirstName+" #"+strconv.FormatUint(uint64(s.zoe.ID), 10) || !c.BirthDate.IsZero() || c.Picture != nil || c.SchoolID != 0 ||
		c.Number != "" || c.Contacts != nil || c.RemovedOn != data.NewDate(2028, time.May, 1) || c.LocationID != s.zoe.LocationID {
		t.Errorf("%s: Zoë after the purge: %+v", store, c)
	}
	if len(s.before.Consent) != 2 || len(s.after.Consent) != 0 || s.after.School != nil {
		t.Errorf("%s: consent %d answers, then %+v; school %+v", store, len(s.before.Consent), s.after.Consent, s.after.School)
	}
	before, after := s.before, s.after
	if len(after.Attendance) != len(before.Attendance) || len(before.Attendance) < 4 {
		t.Fatalf("%s: %d attendance records, were %d", store, len(after.Attendance), len(before.Attendance))
	}
	words := 0
	for i, r := range after.Attendance {
		b := before.Attendance[i]
		words += len(b.Attendance.Note) + len(b.Attendance.AbsenceText)
		if r.Attendance.Note != "" || r.Attendance.AbsenceReason != "" || r.Attendance.AbsenceText != "" {
			t.Errorf("%s: the record of %s keeps %q %q %q", store, r.Date, r.Attendance.Note, r.Attendance.AbsenceReason, r.Attendance.AbsenceText)
		}
		// Everything else of the record stays, as billing needs it.
		b.Attendance.Note, b.Attendance.AbsenceReason, b.Attendance.AbsenceText = "", "", ""
		if !reflect.DeepEqual(r, b) {
			t.Errorf("%s: the record of %s: %+v, want %+v", store, r.Date, r, b)
		}
	}
	if words == 0 {
		t.Fatalf("%s: no record had words to remove: the test would prove nothing", store)
	}
	if !reflect.DeepEqual(after.Contracts, before.Contracts) || !reflect.DeepEqual(after.Credit, before.Credit) ||
		!reflect.DeepEqual(after.SignUps, before.SignUps) || len(after.SignUps) != 1 || len(after.Credit) == 0 {
		t.Errorf("%s: billing records changed:\ncontracts %+v\nwere      %+v\ncredit %+v\nwas    %+v\nsign-ups %+v\nwere     %+v",
			store, after.Contracts, before.Contracts, after.Credit, before.Credit, after.SignUps, before.SignUps)
	}
	if len(after.Requests) != 2 || len(before.Requests) != 2 || before.Requests[1].Reason != zoeRejected || before.Requests[1].Payment.OverrideReason != zoeOverride {
		t.Fatalf("%s: requests %+v, were %+v", store, after.Requests, before.Requests)
	}
	for i, r := range after.Requests {
		b := before.Requests[i]
		b.Reason, b.Payment.OverrideReason = "", ""
		if !reflect.DeepEqual(r, b) {
			t.Errorf("%s: request %d: %+v, want %+v", store, r.ID, r, b)
		}
	}
	s.annaAfter.ExportedAt = s.annaBefore.ExportedAt
	if !reflect.DeepEqual(s.annaAfter, s.annaBefore) {
		t.Errorf("%s: Anna, whose care goes on, changed:\n%+v\nwas\n%+v", store, s.annaAfter, s.annaBefore)
	}
}

// TestPurgeExpired_AVG_AsBoltstorePurges plays one story on the bbolt store
// and on PostgreSQL: both remove Zoë's personal data on the same day, keep
// what billing needs, leave Anna alone, and answer alike before and after.
func TestPurgeExpired_AVG_AsBoltstorePurges(t *testing.T) {
	boltClock, pgClock := &storyClock{now: raceDay}, &storyClock{now: raceDay}
	bolt, _ := datatest.Open(t, datatest.Clock(boltClock.read))
	pg := open(t, pgClock.read)
	want := playRetention(t, bolt, boltClock)
	got := playRetention(t, pg, pgClock)
	checkPurged(t, "bbolt", want)
	checkPurged(t, "PostgreSQL", got)
	if len(got.answers) != len(want.answers) {
		t.Fatalf("PostgreSQL answered %d times, bbolt %d", len(got.answers), len(want.answers))
	}
	for i := range want.answers {
		if got.answers[i] != want.answers[i] {
			t.Errorf("answer %d differs:\n  bbolt:      %s\n  PostgreSQL: %s", i+1, want.answers[i], got.answers[i])
		}
	}
}

// afterRetention is a day when the care that ended on 30 April 2026 is past
// its 24 months of retention.
var afterRetention = time.Date(2028, time.May, 2, 9, 0, 0, 0, time.Local)

// endedCare sets up an organisation with two locations, De Vlinder and De
// Egel, and n children in each whose care ended on 30 April 2026, each with
// a consent answer; it returns them by location.
func endedCare(t *testing.T, db *pgstore.DB, n int) (vlinder, egel []data.Child) {
	t.Helper()
	ctx := t.Context()
	if _, err := db.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Twee", Location: "De Vlinder",
		Groups: []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}}, Manager: "Marieke de Boer", Secret: "wachtwoord-marieke"}); err != nil {
		t.Fatal(err)
	}
	rupsjes, err := db.GroupByName(ctx, "Rupsjes")
	if err != nil {
		t.Fatal(err)
	}
	egelLocation, err := db.AddLocation(ctx, "De Egel")
	if err != nil {
		t.Fatal(err)
	}
	egeltjes, err := db.AddGroup(ctx, data.Group{LocationID: egelLocation.ID, Name: "Egeltjes", Care: data.KDV, Capacity: 12})
	if err != nil {
		t.Fatal(err)
	}
	day := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}
	for _, g := range []data.Group{rupsjes, egeltjes} {
		for i := range n {
			c, err := db.AddChild(ctx, data.Child{LocationID: g.LocationID, FirstName: g.Name + strconv.Itoa(i), LastName: "Oud", BirthDate: data.NewDate(2022, time.May, 1)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.AddContract(ctx, data.Contract{ChildID: c.ID, GroupID: g.ID, Product: data.ProductKDV, Days: []data.ContractDay{{Weekday: time.Tuesday, Times: day}},
				Start: data.NewDate(2025, time.September, 2), End: data.NewDate(2026, time.April, 30)}); err != nil {
				t.Fatal(err)
			}
			if err := db.RecordConsent(ctx, data.ConsentChange{ChildID: c.ID, Level: data.ConsentPortal, Given: data.NewDate(2025, time.September, 2),
				Source: data.ConsentFromForm, RecordedBy: "Kantoor", Note: "op het intakeformulier"}); err != nil {
				t.Fatal(err)
			}
			if g.ID == rupsjes.ID {
				vlinder = append(vlinder, c)
			} else {
				egel = append(egel, c)
			}
		}
	}
	return vlinder, egel
}

func childIDs(children []data.Child) []data.ID {
	out := make([]data.ID, len(children))
	for i, c := range children {
		out[i] = c.ID
	}
	return out
}

// TestPurgeExpired_TwoHubsAtOnce: hubs that start together each purge;
// the serializable write lets one remove the children and the other find
// none left, so each child is purged, and logged, once.
func TestPurgeExpired_TwoHubsAtOnce(t *testing.T) {
	address := pgtest.Database(t)
	now := func() time.Time { return afterRetention }
	a, err := pgstore.Open(t.Context(), address, pgstore.WithClock(func() time.Time { return raceDay }))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	vlinder, egel := endedCare(t, a, 4)
	want := append(childIDs(vlinder), childIDs(egel)...)
	for round := range 3 {
		hubs := [2]*pgstore.DB{}
		for i := range hubs {
			if hubs[i], err = pgstore.Open(t.Context(), address, pgstore.WithClock(now)); err != nil {
				t.Fatal(err)
			}
			defer hubs[i].Close()
		}
		var results [2]data.PurgeResult
		var errs [2]error
		var wg sync.WaitGroup
		for i, hub := range hubs {
			wg.Go(func() { results[i], errs[i] = hub.PurgeExpired(t.Context()) })
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("round %d: %v / %v", round, errs[0], errs[1])
		}
		got := append(slices.Clone(results[0].Children), results[1].Children...)
		slices.Sort(got)
		if round == 0 && !slices.Equal(got, want) {
			t.Fatalf("the two hubs purged %v and %v; want %v, each once", results[0].Children, results[1].Children, want)
		}
		if round > 0 && len(got) != 0 {
			t.Errorf("round %d purged %v again", round, got)
		}
	}
	entries, err := a.Audit(t.Context(), data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// Every purge is logged, as on bbolt; one of them removed the children.
	purges, removing := 0, 0
	for _, e := range entries {
		if e.Action == data.AuditPurgeExpired {
			purges++
			if len(e.Changes) > 0 {
				removing++
			}
		}
	}
	if purges != 6 || removing != 1 {
		t.Errorf("%d purges in the log, %d of them with changes; want 6, and 1", purges, removing)
	}
}

// TestPurge_ConsentStaysAppendOnly: the purge may delete the consent
// history of the children it marks removed, and nothing else may rewrite
// consent: not an UPDATE, not a DELETE of a child whose data are kept, not
// even an UPDATE of a removed child's answer.
func TestPurge_ConsentStaysAppendOnly(t *testing.T) {
	ctx := t.Context()
	address := pgtest.Database(t)
	db, err := pgstore.Open(ctx, address, pgstore.WithClock(func() time.Time { return raceDay }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	vlinder, _ := endedCare(t, db, 1)
	conn, err := pgx.Connect(ctx, address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	kept := vlinder[0].ID
	refused := func(what, sql string, args ...any) {
		t.Helper()
		_, err := conn.Exec(ctx, sql, args...)
		if err == nil || !strings.Contains(err.Error(), "consent_changes is append-only") {
			t.Errorf("%s: %v, want it refused", what, err)
		}
	}
	refused("delete a kept child's history", `DELETE FROM consent_changes WHERE child_id = $1`, int64(kept))
	refused("change a kept child's answer", `UPDATE consent_changes SET note = '' WHERE child_id = $1`, int64(kept))
	refused("delete every answer", `DELETE FROM consent_changes`)

	purged, err := pgstore.Open(ctx, address, pgstore.WithClock(func() time.Time { return afterRetention }))
	if err != nil {
		t.Fatal(err)
	}
	defer purged.Close()
	if res, err := purged.PurgeExpired(ctx); err != nil || len(res.Children) != 2 {
		t.Fatalf("purge: %+v, %v", res, err)
	}
	var left int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM consent_changes`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d consent answers left after the purge (%v)", left, err)
	}
	// An answer a removed child somehow got again may go, but not be changed.
	if _, err := conn.Exec(ctx, `INSERT INTO consent_changes (child_id, seq, level, given, source, recorded_by, recorded_at)
		VALUES ($1, 1, 'none', '2028-05-02', 'phone', 'x', now())`, int64(kept)); err != nil {
		t.Fatal(err)
	}
	refused("change a removed child's answer", `UPDATE consent_changes SET note = 'x' WHERE child_id = $1`, int64(kept))
	if _, err := conn.Exec(ctx, `DELETE FROM consent_changes WHERE child_id = $1`, int64(kept)); err != nil {
		t.Errorf("delete a removed child's answer: %v", err)
	}
}

// TestPurge_LocationRoleAndVacuum: a hub that connects as a location's role
// purges its own location's children and leaves the others' to their hubs;
// only the tables' owner vacuums, after which the removed rows' old versions
// are gone from the tables.
func TestPurge_LocationRoleAndVacuum(t *testing.T) {
	ctx := t.Context()
	address := pgtest.Database(t)
	owner, err := pgstore.Open(ctx, address, pgstore.WithClock(func() time.Time { return raceDay }))
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	vlinder, egel := endedCare(t, owner, 2)
	if _, err := owner.LocationRole(ctx, "hub_vlinder_purge", "", []string{"De Vlinder"}); err != nil {
		t.Fatal(err)
	}
	later := pgstore.WithClock(func() time.Time { return afterRetention })
	hub, err := pgstore.Open(ctx, asRole(t, address, "hub_vlinder_purge"), later)
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Close()
	res, err := hub.Purge(ctx)
	if err != nil || !slices.Equal(res.Children, childIDs(vlinder)) || res.Compacted {
		t.Fatalf("purge as De Vlinder's role: %+v, %v; want De Vlinder's children, no vacuum", res, err)
	}
	conn, err := pgx.Connect(ctx, address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var removed []int64
	if err := conn.QueryRow(ctx, `SELECT array_agg(id ORDER BY id) FROM children WHERE removed_on IS NOT NULL`).Scan(&removed); err != nil {
		t.Fatal(err)
	}
	if len(removed) != len(vlinder) {
		t.Errorf("removed %v; De Egel's children are not De Vlinder's hub's to purge", removed)
	}

	// VACUUM, not autovacuum, has run on the tables a purge changes: none
	// before the owner's purge, each once after.
	vacuums := func() []int64 {
		t.Helper()
		var n []int64
		if err := conn.QueryRow(ctx, `SELECT array_agg(vacuum_count ORDER BY relname) FROM pg_stat_user_tables
			WHERE relname IN ('children', 'consent_changes', 'attendance', 'requests')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := vacuums(); !slices.Equal(n, []int64{0, 0, 0, 0}) {
		t.Errorf("vacuumed %v times before the owner's purge; a location's role may not", n)
	}
	all, err := pgstore.Open(ctx, address, later)
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	res, err = all.Purge(ctx)
	if err != nil || !slices.Equal(res.Children, childIDs(egel)) || !res.Compacted {
		t.Fatalf("purge as the owner: %+v, %v; want De Egel's children, vacuumed", res, err)
	}
	if n := vacuums(); !slices.Equal(n, []int64{1, 1, 1, 1}) {
		t.Errorf("after the owner's purge the tables were vacuumed %v times, want once each", n)
	}
	if res, err := all.Purge(ctx); err != nil || len(res.Children) != 0 || res.Compacted {
		t.Errorf("a purge with nothing to remove: %+v, %v; want no vacuum", res, err)
	}
}
