package data_test

import (
	"testing"
	"time"

	"locatiedesk/data"
)

// answer is a parent's answer for child 1, recorded by the office.
func answer(seq uint64, level data.ConsentLevel, given data.Date) data.ConsentChange {
	return data.ConsentChange{Seq: seq, ChildID: 1, Level: level, Given: given, Source: data.ConsentFromForm, RecordedBy: "office"}
}

func TestConsentLevel_C1_NotAnsweredCountsAsNone(t *testing.T) {
	tests := []struct {
		level                       data.ConsentLevel
		answer, photograph, publish bool
	}{
		{data.ConsentNotAnswered, false, false, false},
		{"", false, false, false},
		{data.ConsentNone, true, false, false},
		{data.ConsentPortal, true, true, false},
		{data.ConsentPublic, true, true, true},
		{"maybe", false, false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.level), func(t *testing.T) {
			if got := tt.level.IsAnswer(); got != tt.answer {
				t.Errorf("IsAnswer = %v, want %v", got, tt.answer)
			}
			if got := tt.level.MayPhotograph(); got != tt.photograph {
				t.Errorf("MayPhotograph = %v, want %v", got, tt.photograph)
			}
			if got := tt.level.MayPublish(); got != tt.publish {
				t.Errorf("MayPublish = %v, want %v", got, tt.publish)
			}
		})
	}
}

func TestCurrentConsent_C1_LatestAnswerCounts(t *testing.T) {
	jan, feb, mar := data.NewDate(2026, time.January, 5), data.NewDate(2026, time.February, 5), data.NewDate(2026, time.March, 5)
	tests := []struct {
		name    string
		history []data.ConsentChange
		wantSeq uint64 // 0: not answered
	}{
		{"no answer yet", nil, 0},
		{"one answer", []data.ConsentChange{answer(1, data.ConsentPublic, jan)}, 1},
		{"withdrawal later", []data.ConsentChange{answer(1, data.ConsentPublic, jan), answer(2, data.ConsentNone, feb)}, 2},
		{"an older form typed in late does not undo a withdrawal", []data.ConsentChange{
			answer(1, data.ConsentPublic, jan), answer(2, data.ConsentNone, mar), answer(3, data.ConsentPortal, feb)}, 2},
		{"same day: the later recording wins", []data.ConsentChange{
			answer(1, data.ConsentPublic, feb), answer(2, data.ConsentPortal, feb)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := data.CurrentConsent(tt.history)
			if ok != (tt.wantSeq != 0) || got.Seq != tt.wantSeq {
				t.Errorf("current = seq %d (ok %v), want seq %d", got.Seq, ok, tt.wantSeq)
			}
		})
	}
}

func TestConsentEnded_C1_WhenTheLastContractEnds(t *testing.T) {
	today := data.NewDate(2026, time.March, 10)
	contract := func(start, end data.Date) data.Contract {
		return data.Contract{ChildID: 1, GroupID: 1, Product: data.ProductKDV, Start: start, End: end}
	}
	long, lastMonth := today.AddDays(-500), today.AddDays(-30)
	tests := []struct {
		name      string
		contracts []data.Contract
		want      data.Date // zero: not ended
	}{
		{"no contracts yet", nil, data.Date{}},
		{"open-ended contract", []data.Contract{contract(long, data.Date{})}, data.Date{}},
		{"ends today: still in care", []data.Contract{contract(long, today)}, data.Date{}},
		{"ended yesterday", []data.Contract{contract(long, today.AddDays(-1))}, today.AddDays(-1)},
		{"every contract ended: the last end counts", []data.Contract{contract(long, lastMonth), contract(long, lastMonth.AddDays(-60))}, lastMonth},
		{"one ended, one running", []data.Contract{contract(long, lastMonth), contract(lastMonth.AddDays(1), data.Date{})}, data.Date{}},
		{"ended, but a new one starts next month", []data.Contract{contract(long, lastMonth), contract(today.AddDays(30), today.AddDays(300))}, data.Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ended := data.ConsentEnded(tt.contracts, today)
			if got != tt.want || ended != !tt.want.IsZero() {
				t.Errorf("ConsentEnded = %v, %v; want %v", got, ended, tt.want)
			}
		})
	}
}

func TestConsentStatus_C1_EndedMeansNoPhotos(t *testing.T) {
	s := data.ConsentStatus{Level: data.ConsentPublic}
	if !s.MayPhotograph() || !s.MayPublish() {
		t.Fatal("public consent does not allow photos")
	}
	s.EndedOn = data.NewDate(2026, time.March, 9)
	if !s.Ended() || s.MayPhotograph() || s.MayPublish() {
		t.Error("photos still allowed after the last contract ended")
	}
}

func TestConsentStatusOf_C1(t *testing.T) {
	today := data.NewDate(2026, time.December, 1)
	given := today.AddDays(-40)
	if s := data.ConsentStatusOf(nil, nil, today); s.Level != data.ConsentNotAnswered || s.Ended() {
		t.Errorf("no answer: %+v", s)
	}
	history := []data.ConsentChange{answer(1, data.ConsentPublic, given.AddDays(-10)), answer(2, data.ConsentPortal, given)}
	ended := []data.Contract{{ChildID: 1, Start: today.AddDays(-400), End: today.AddDays(-1)}}
	s := data.ConsentStatusOf(history, ended, today)
	if s.Level != data.ConsentPortal || s.Since != given || s.EndedOn != today.AddDays(-1) {
		t.Errorf("status %+v, want portal since %s, ended %s", s, given, today.AddDays(-1))
	}
}

func TestRecordConsentImport_C1(t *testing.T) {
	today := data.NewDate(2026, time.December, 1)
	before := answer(1, data.ConsentPortal, today.AddDays(-30))
	again := before
	again.Seq = 0
	fresh := answer(0, data.ConsentPublic, today.AddDays(-1))
	fresh.RecordedAt = time.Now()
	var recorded []data.ConsentChange
	record := func(c data.ConsentChange) error { recorded = append(recorded, c); return nil }
	res, err := data.RecordConsentImport([]data.ConsentChange{again, fresh, fresh}, map[data.ID][]data.ConsentChange{1: {before}}, today, record)
	if err != nil {
		t.Fatal(err)
	}
	if res != (data.ConsentImportResult{Imported: 1, Unchanged: 2}) || len(recorded) != 1 || len(res.Changes()) != 1 {
		t.Errorf("result %+v, recorded %d, changes %v; want the new answer once", res, len(recorded), res.Changes())
	}
	if len((data.ConsentImportResult{Unchanged: 3}).Changes()) != 0 {
		t.Error("an import that changed nothing reports a change")
	}
	locations := data.ConsentImportLocations([]data.ConsentChange{{ChildID: 2}, {ChildID: 1}, {ChildID: 3}, {ChildID: 9}},
		[]data.Child{{ID: 1, LocationID: 10}, {ID: 2, LocationID: 20}, {ID: 3, LocationID: 10}})
	if len(locations) != 2 || locations[0] != 20 || locations[1] != 10 {
		t.Errorf("locations %v, want [20 10]", locations)
	}
	if data.ConsentImportProblems(nil, nil) != nil {
		t.Error("a file without problems refused")
	}
}
