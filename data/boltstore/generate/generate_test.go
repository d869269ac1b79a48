package generate_test

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
)

func TestOrganisation_DeterministicAndEveryProduct(t *testing.T) {
	opts := generate.Options{Locations: 3, ChildrenPerLocation: 40, Years: 2, Today: data.NewDate(2026, time.November, 25), Seed: 9}
	a, b := generate.Organisation(opts), generate.Organisation(opts)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same options built two different organisations")
	}
	if len(a.Locations) != 3 || len(a.Groups) != 18 {
		t.Fatalf("%d locations, %d groups; want 3 and 18", len(a.Locations), len(a.Groups))
	}
	products := map[data.Product]bool{}
	running := 0
	for _, c := range a.Contracts {
		products[c.Product] = true
		if (c.Product == data.ProductKDV || c.Product == data.ProductBSOSchoolWeeks || c.Product == data.ProductBSO52Weeks) && c.Runs(opts.Today) {
			running++
		}
	}
	for _, p := range data.Products {
		if !products[p] {
			t.Errorf("no %s contract", p)
		}
	}
	if running != 3*40 {
		t.Errorf("%d children in care today, want %d", running, 3*40)
	}
}

func TestGenerate_WritesHistory(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "org.db"), boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	opts := generate.Options{Locations: 1, ChildrenPerLocation: 30, Years: 1, Today: data.DateOf(now), Seed: 3}
	if err := generate.Generate(t.Context(), db, opts, nil); err != nil {
		t.Fatal(err)
	}
	// A Wednesday in term time half a year ago has records for every child expected.
	list, err := db.DayList(t.Context(), 1, data.NewDate(2026, time.May, 20))
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Rows) == 0 {
		t.Fatal("no children on a past list")
	}
	for _, r := range list.Rows {
		if r.Attendance.Status() == data.StatusToCome {
			t.Fatalf("%s has no record on a past day", r.Child.Name())
		}
	}
	if err := generate.Generate(t.Context(), db, opts, nil); err == nil {
		t.Fatal("generating into a file with data must fail")
	}
}

// TestGenerate_R6_T1_HistoryInEveryState checks that the replayed history
// holds what the benchmarks need: requests in every state (some still open,
// R6), absence credit earned in time and spent on requests (T1, R7),
// photo consent (C1) and study days with sign-ups (S1).
func TestGenerate_R6_T1_HistoryInEveryState(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "org.db")
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	opts := generate.Options{Locations: 1, ChildrenPerLocation: 40, Years: 1, Today: data.DateOf(now), Seed: 5}
	if err := generate.Generate(t.Context(), db, opts, nil); err != nil {
		t.Fatal(err)
	}
	counts, err := db.OpenRequestCounts(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) == 0 {
		t.Error("no open request in any group")
	}
	if a, err := db.SignIn(t.Context(), generate.Manager.ID, generate.Manager.Secret); err != nil || a.Role != data.RoleManager {
		t.Errorf("the manager signs in as %+v, %v", a, err)
	}
	if a, err := db.SignIn(t.Context(), 2, generate.PlannerPassword); err != nil || len(a.Locations) != 1 {
		t.Errorf("the planner signs in as %+v, %v; want the office of the one location", a, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	statuses := map[data.RequestStatus]int{}
	credit := map[string]int{}
	var signUps, studyDays, consents int
	err = bdb.View(func(tx *bolt.Tx) error {
		err := tx.Bucket([]byte("requests")).ForEach(func(_, v []byte) error {
			var r data.Request
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			statuses[r.Status]++
			if r.Payment.CreditMinutes() > 0 {
				statuses["paid from credit"]++
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.Bucket([]byte("credit")).ForEachBucket(func(child []byte) error {
			return tx.Bucket([]byte("credit")).Bucket(child).ForEach(func(_, v []byte) error {
				var e data.CreditEntry
				if err := json.Unmarshal(v, &e); err != nil {
					return err
				}
				credit[string(e.Origin)]++
				if e.Spent > 0 {
					credit["spent"]++
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
		signUps = tx.Bucket([]byte("signups")).Stats().KeyN
		studyDays = tx.Bucket([]byte("study-days")).Stats().KeyN
		consents = tx.Bucket([]byte("consent-current")).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("requests %v, credit %v, %d study days, %d sign-ups, %d consents", statuses, credit, studyDays, signUps, consents)
	for _, s := range []data.RequestStatus{data.StatusOpen, data.StatusApproved, data.StatusRejected, data.StatusCancelled, "paid from credit"} {
		if statuses[s] == 0 {
			t.Errorf("no %s request", s)
		}
	}
	for _, k := range []string{string(data.OriginKDVDay), string(data.OriginBSOSchoolDay), string(data.OriginContract), "spent"} {
		if credit[k] == 0 {
			t.Errorf("no %s credit", k)
		}
	}
	if studyDays < 2*4 || signUps == 0 || consents == 0 {
		t.Errorf("%d study days, %d sign-ups, %d consents; want at least 8 and some", studyDays, signUps, consents)
	}
}
