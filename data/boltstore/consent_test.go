package boltstore_test

import (
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
	"locatiedesk/data/demo"
)

func TestRecordConsent_C1_HistoryKeptCurrentFollowsLatest(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	steps := []struct {
		level     data.ConsentLevel
		given     data.Date
		source    data.ConsentSource
		by        string
		wantLevel data.ConsentLevel
	}{
		{data.ConsentPortal, storeToday.AddDays(-60), data.ConsentFromForm, "Marieke", data.ConsentPortal},
		{data.ConsentPublic, storeToday.AddDays(-20), data.ConsentFromParentApp, "ouderportaal", data.ConsentPublic},
		{data.ConsentNone, storeToday, data.ConsentFromPhone, "Tess", data.ConsentNone}, // withdrawn by phone
		{data.ConsentPublic, storeToday.AddDays(-40), data.ConsentFromForm, "Marieke", data.ConsentNone},
	}
	for i, st := range steps {
		err := db.RecordConsent(t.Context(), data.ConsentChange{ChildID: idAnna, Level: st.level, Given: st.given, Source: st.source, RecordedBy: st.by})
		if err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
		c, err := db.Consent(t.Context(), idAnna)
		if err != nil {
			t.Fatal(err)
		}
		if c.Level != st.wantLevel {
			t.Errorf("after step %d: level %s, want %s", i+1, c.Level, st.wantLevel)
		}
		l, err := db.DayList(t.Context(), groupEg, storeToday)
		if err != nil {
			t.Fatal(err)
		}
		if row, _ := rowOf(l, idAnna); row.Consent != st.wantLevel {
			t.Errorf("after step %d: the list shows %s, want %s (current key out of step with the history)", i+1, row.Consent, st.wantLevel)
		}
	}

	c, err := db.Consent(t.Context(), idAnna)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.History) != len(steps) {
		t.Fatalf("history has %d changes, want %d", len(c.History), len(steps))
	}
	for i, h := range c.History {
		st := steps[i]
		if h.Seq != uint64(i+1) || h.Level != st.level || h.Given != st.given || h.Source != st.source || h.RecordedBy != st.by || !h.RecordedAt.Equal(storeNow) {
			t.Errorf("history[%d] = %+v, want seq %d %s on %s from %s by %s at %v", i, h, i+1, st.level, st.given, st.source, st.by, storeNow)
		}
	}
	if c.Since != storeToday || c.Ended() || c.MayPhotograph() {
		t.Errorf("status %+v, want no consent since today, not ended", c.ConsentStatus)
	}
	if other, err := db.Consent(t.Context(), idBram); err != nil || other.Level != data.ConsentNotAnswered || len(other.History) != 0 {
		t.Errorf("another child: %+v, %v; want not answered", other.ConsentStatus, err)
	}
}

func TestRecordConsent_C1_BadInputStoresNothing(t *testing.T) {
	good := data.ConsentChange{ChildID: idAnna, Level: data.ConsentPortal, Given: storeToday, Source: data.ConsentFromForm, RecordedBy: "Marieke"}
	tests := []struct {
		name   string
		mutate func(*data.ConsentChange)
		want   error
	}{
		{"unknown child", func(c *data.ConsentChange) { c.ChildID = 99 }, data.ErrNotFound},
		{"not answered is no answer", func(c *data.ConsentChange) { c.Level = data.ConsentNotAnswered }, data.ErrInvalid},
		{"unknown level", func(c *data.ConsentChange) { c.Level = "sometimes" }, data.ErrInvalid},
		{"paper quitclaim is no source", func(c *data.ConsentChange) { c.Source = "quitclaim" }, data.ErrInvalid},
		{"nobody records it", func(c *data.ConsentChange) { c.RecordedBy = "  " }, data.ErrInvalid},
		{"no date", func(c *data.ConsentChange) { c.Given = data.Date{} }, data.ErrInvalid},
		{"dated tomorrow", func(c *data.ConsentChange) { c.Given = storeToday.AddDays(1) }, data.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := newStore(t, datatest.Seeded(smallDataset()))
			c := good
			tt.mutate(&c)
			if err := db.RecordConsent(t.Context(), c); !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			got, err := db.Consent(t.Context(), idAnna)
			if err != nil || len(got.History) != 0 || got.Level != data.ConsentNotAnswered {
				t.Errorf("after a refused change: %+v, %d changes, %v", got.ConsentStatus, len(got.History), err)
			}
		})
	}
}

func TestRecordConsent_A2_EveryScreenHears(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	var mu sync.Mutex
	var got []data.Change
	datatest.Subscribe(t, db, func(c data.Change) { mu.Lock(); got = append(got, c); mu.Unlock() })
	if err := db.RecordConsent(t.Context(), data.ConsentChange{ChildID: idCas, Level: data.ConsentNone, Given: storeToday, Source: data.ConsentFromPhone, RecordedBy: "Tess"}); err != nil {
		t.Fatal(err)
	}
	_ = db.RecordConsent(t.Context(), data.ConsentChange{ChildID: idCas, Level: "bogus", Given: storeToday, Source: data.ConsentFromPhone, RecordedBy: "Tess"})
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].Kind != data.ChangeConsent {
		t.Fatalf("changes %+v, want one consent change for the successful write only", got)
	}
	if !got[0].Affects(groupUi, storeToday) || !got[0].Affects(groupEg, yesterday) {
		t.Error("a consent change must redraw every group's list on every date")
	}
}

// consentDataset is smallDataset with a child who left and some answers.
func consentDataset() data.Dataset {
	ds := smallDataset()
	ds.Children = append(ds.Children, data.Child{ID: 5, LocationID: 1, FirstName: "Eva", LastName: "Dijkstra", BirthDate: data.NewDate(2021, time.January, 9)})
	ds.Contracts = append(ds.Contracts, data.Contract{ID: 5, ChildID: 5, GroupID: groupEg, Product: data.ProductKDV,
		Days: days(kdvTimes, time.Monday), Start: data.NewDate(2023, time.January, 2), End: data.NewDate(2026, time.January, 31)})
	given := storeToday.AddDays(-100)
	for _, c := range []struct {
		child data.ID
		level data.ConsentLevel
	}{{idAnna, data.ConsentNone}, {idBram, data.ConsentPortal}, {idCas, data.ConsentPublic}, {5, data.ConsentPublic}} {
		ds.Consents = append(ds.Consents, data.ConsentChange{ChildID: c.child, Level: c.level, Given: given,
			Source: data.ConsentFromForm, RecordedBy: "seed", RecordedAt: given.Time(data.NewClock(9, 0), time.Local)})
	}
	return ds
}

func TestSeed_C2_ConsentOnTheList(t *testing.T) {
	db, _ := newStore(t)
	if err := db.Seed(t.Context(), consentDataset()); err != nil {
		t.Fatal(err)
	}
	l, err := db.DayList(t.Context(), groupEg, storeToday)
	if err != nil {
		t.Fatal(err)
	}
	want := map[data.ID]data.ConsentLevel{idAnna: data.ConsentNone, idBram: data.ConsentPortal}
	if len(l.Rows) != len(want) {
		t.Fatalf("list has %v, want %d rows", rowIDs(l), len(want))
	}
	for _, r := range l.Rows {
		if r.Consent != want[r.Child.ID] {
			t.Errorf("%s shows %s, want %s", r.Child.Name(), r.Consent, want[r.Child.ID])
		}
	}
	// Dewi (no answer) is on Friday's list.
	friday := storeToday.AddDays(3)
	l, err = db.DayList(t.Context(), groupEg, friday)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := rowOf(l, idDewi); !ok || r.Consent != data.ConsentNotAnswered {
		t.Errorf("Dewi on %s: %+v (on list %v), want not answered", friday, r.Consent, ok)
	}
}

func TestSeed_C1_ConsentOfUnknownChildStoresNothing(t *testing.T) {
	db, _ := newStore(t)
	ds := consentDataset()
	ds.Consents[1].ChildID = 42
	if err := db.Seed(t.Context(), ds); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("Seed error = %v, want ErrInvalid", err)
	}
	if empty, err := db.IsEmpty(t.Context()); err != nil || !empty {
		t.Errorf("store not empty after a failed seed: %v, %v", empty, err)
	}
}

func TestConsentOverview_C2_GroupAndLocation(t *testing.T) {
	db, _ := newStore(t)
	if err := db.Seed(t.Context(), consentDataset()); err != nil {
		t.Fatal(err)
	}
	names := func(rows []data.ConsentRow) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Child.FirstName+":"+string(r.Level)+":"+r.Group.Name)
		}
		return out
	}
	t.Run("group: the children in care there today", func(t *testing.T) {
		rows, err := db.ConsentOverview(t.Context(), 1, groupEg)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Anna:none:Egeltjes", "Bram:portal:Egeltjes", "Dewi:not-answered:Egeltjes"}
		if got := names(rows); !slices.Equal(got, want) {
			t.Errorf("rows %v, want %v (Eva left in January)", got, want)
		}
	})
	t.Run("location: everyone, also who left", func(t *testing.T) {
		rows, err := db.ConsentOverview(t.Context(), 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Anna:none:Egeltjes", "Bram:portal:Egeltjes", "Cas:public:Uilen", "Dewi:not-answered:Egeltjes", "Eva:public:Egeltjes"}
		if got := names(rows); !slices.Equal(got, want) {
			t.Fatalf("rows %v, want %v", got, want)
		}
		for _, r := range rows {
			ended := r.Child.FirstName == "Eva"
			if r.Ended() != ended || (ended && r.EndedOn != data.NewDate(2026, time.January, 31)) {
				t.Errorf("%s: ended %v on %s, want ended %v", r.Child.FirstName, r.Ended(), r.EndedOn, ended)
			}
			if ended && r.MayPhotograph() {
				t.Error("Eva's public consent still allows photos after she left")
			}
		}
	})
	t.Run("unknown group", func(t *testing.T) {
		if _, err := db.ConsentOverview(t.Context(), 1, 99); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("error %v, want ErrNotFound", err)
		}
	})
}

func TestDemo_C1_ConsentInEveryState(t *testing.T) {
	db, _ := newStore(t)
	if err := db.Seed(t.Context(), demo.Build(storeToday)); err != nil {
		t.Fatal(err)
	}
	rows, err := db.ConsentOverview(t.Context(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range rows {
		if r.Ended() {
			count["ended"]++
			continue
		}
		count[string(r.Level)]++
	}
	for _, state := range []string{"none", "portal", "public", "not-answered", "ended"} {
		if count[state] == 0 {
			t.Errorf("no demo child is %s (%v)", state, count)
		}
	}
	if count["public"] < len(rows)/2 {
		t.Errorf("demo counts %v: want most children answered public", count)
	}
	withdrawn := 0
	for _, r := range rows {
		c, err := db.Consent(t.Context(), r.Child.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.History) > 1 && c.Level == data.ConsentNone {
			withdrawn++
		}
	}
	if withdrawn == 0 {
		t.Error("no demo child shows a withdrawal in the history")
	}
}

func TestOpen_C1_MigratesFileWithoutConsent(t *testing.T) {
	db, path := newStore(t)
	if err := db.Seed(t.Context(), smallDataset()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Make the file what the build before photo consent wrote: schema 1, no consent buckets.
	raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"consent-history", "consent-current"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("version"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
	})
	if closeErr := raw.Close(); err != nil || closeErr != nil {
		t.Fatal(err, closeErr)
	}

	db, _ = newStore(t, datatest.Path(filepath.Clean(path)))
	l, err := db.DayList(t.Context(), groupEg, storeToday)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := rowOf(l, idAnna); r.Consent != data.ConsentNotAnswered {
		t.Errorf("Anna after upgrade: %s, want not answered", r.Consent)
	}
	if err := db.RecordConsent(t.Context(), data.ConsentChange{ChildID: idAnna, Level: data.ConsentPortal, Given: storeToday, Source: data.ConsentFromForm, RecordedBy: "Marieke"}); err != nil {
		t.Fatalf("record after upgrade: %v", err)
	}
}
