package hub

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestIdempotency_OncePerKey(t *testing.T) {
	o := newIdempotency(time.Minute)
	runs := 0
	write := func() (any, error) { runs++; return runs, nil }
	first, _ := o.do("k", write)
	again, _ := o.do("k", write)
	if runs != 1 || first != again {
		t.Errorf("two calls with one key ran %d times, answered %v and %v", runs, first, again)
	}
	if _, _ = o.do("other", write); runs != 2 {
		t.Errorf("another key ran %d times in all, want 2", runs)
	}
}

func TestIdempotency_ACallThatNeverStartedOrPanickedIsForgotten(t *testing.T) {
	o := newIdempotency(time.Minute)
	if _, err := o.do("k", func() (any, error) { return nil, context.Canceled }); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	func() {
		defer func() { recover() }()
		o.do("p", func() (any, error) { panic("disk gone") })
	}()
	for _, key := range []string{"k", "p"} {
		if res, err := o.do(key, func() (any, error) { return "ran", nil }); err != nil || res != "ran" {
			t.Errorf("the retry with key %s: %v %v, want it to run", key, res, err)
		}
	}
}
