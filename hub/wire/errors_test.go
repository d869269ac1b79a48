package wire_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"connectrpc.com/connect"

	"locatiedesk/data"
	"locatiedesk/hub/wire"
)

// across sends err the way the hub answers a call and reads it back as the
// client does.
func across(err error) error { return wire.FromConnect(wire.ToConnect(err)) }

func TestErrors_KeepTheirIdentityAcrossTheNetwork(t *testing.T) {
	window := &data.WindowError{Day: data.NewDate(2026, 11, 30), DaysBefore: 3, Channel: data.ChannelGroup, MustBy: data.ChannelOffice}
	spent := &data.CreditSpentError{AbsenceDate: data.NewDate(2026, 11, 20), Minutes: 90}
	for _, tc := range []struct {
		name  string
		err   error
		is    []error
		check func(t *testing.T, got error)
	}{
		{"wrapped sentinel", fmt.Errorf("child 7: %w", data.ErrNotFound), []error{data.ErrNotFound}, nil},
		{"locked out", fmt.Errorf("%w (until 09:15)", data.ErrLockedOut), []error{data.ErrLockedOut}, nil},
		{"context", fmt.Errorf("reading: %w", context.DeadlineExceeded), []error{context.DeadlineExceeded}, nil},
		{"window", fmt.Errorf("request: %w", window), []error{data.ErrOutsideWindow}, func(t *testing.T, got error) {
			var w *data.WindowError
			if !errors.As(got, &w) || *w != *window {
				t.Errorf("errors.As WindowError: %+v, want %+v", w, window)
			}
		}},
		{"credit spent", spent, []error{data.ErrCreditSpent}, func(t *testing.T, got error) {
			var s *data.CreditSpentError
			if !errors.As(got, &s) || s.Minutes != 90 || s.AbsenceDate != spent.AbsenceDate {
				t.Errorf("errors.As CreditSpentError: %+v", s)
			}
		}},
		{"refusal", data.Refuse(data.RefuseNameTaken, data.Args{"Name": "De Egel"}), []error{data.ErrInvalid}, func(t *testing.T, got error) {
			var r *data.Refusal
			if !errors.As(got, &r) || r.Code != data.RefuseNameTaken || r.Args["Name"] != "De Egel" {
				t.Errorf("errors.As Refusal: %+v", r)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := across(tc.err)
			if got.Error() != tc.err.Error() {
				t.Errorf("message %q, want %q", got, tc.err)
			}
			for _, want := range tc.is {
				if !errors.Is(got, want) {
					t.Errorf("%v is not %v", got, want)
				}
			}
			if errors.Is(got, data.ErrForbidden) {
				t.Errorf("%v counts as ErrForbidden", got)
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

func TestErrors_CodesForOtherClients(t *testing.T) {
	for err, want := range map[error]connect.Code{
		data.ErrForbidden:                   connect.CodePermissionDenied,
		fmt.Errorf("x: %w", data.ErrLocked): connect.CodeFailedPrecondition,
		data.ErrNotFound:                    connect.CodeNotFound,
		data.Invalid("no"):                  connect.CodeInvalidArgument,
		wire.ErrNotSignedIn:                 connect.CodeUnauthenticated,
		context.Canceled:                    connect.CodeCanceled,
		errors.New("disk full"):             connect.CodeUnknown,
	} {
		if got := connect.CodeOf(wire.ToConnect(err)); got != want {
			t.Errorf("%v: code %v, want %v", err, got, want)
		}
	}
}
