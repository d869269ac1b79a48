package client

import (
	"slices"
	"testing"

	"locatiedesk/data"
)

// TestFeed_AWriteCutOffHalfwayIsCompletedOnce: a write of two changes whose
// stream drops after the first; the next stream starts before that write,
// and the subscriber gets its second change and what follows, nothing twice.
func TestFeed_AWriteCutOffHalfwayIsCompletedOnce(t *testing.T) {
	var got []string
	s := &subscription{fn: func(c data.Change) { got = append(got, c.Detail) }, last: 4, resumable: true}
	change := func(seq uint64, detail string) data.Change { return data.Change{Seq: seq, Detail: detail} }

	skip := 0
	s.deliver(change(5, "5a"), &skip)
	if r := s.resumeFrom(); r.After != 4 || !r.Resume {
		t.Fatalf("after half a write, resume from %+v, want after 4", r)
	}
	skip = s.delivered
	for _, c := range []data.Change{change(5, "5a"), change(5, "5b"), change(6, "6a")} {
		s.deliver(c, &skip)
	}
	if r := s.resumeFrom(); r.After != 5 {
		t.Errorf("after 6a, resume from %+v, want after 5 (6 may have more changes)", r)
	}
	skip = s.delivered // the next stream starts after 5 and repeats 6a
	s.deliver(change(6, "6a"), &skip)
	s.deliver(change(6, "6b"), &skip)
	if want := []string{"5a", "5b", "6a", "6b"}; !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
}
