package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/structpb"

	"locatiedesk/data"
)

// codes are the Connect codes of the errors a caller acts on, first match
// wins; an error that is none of them is CodeUnknown.
var codes = []struct {
	err  error
	code connect.Code
}{
	{context.Canceled, connect.CodeCanceled},
	{context.DeadlineExceeded, connect.CodeDeadlineExceeded},
	{ErrDeviceNotPaired, connect.CodeUnauthenticated},
	{ErrNotSignedIn, connect.CodeUnauthenticated},
	{data.ErrForbidden, connect.CodePermissionDenied},
	{data.ErrWrongSecret, connect.CodeUnauthenticated},
	{data.ErrLockedOut, connect.CodeResourceExhausted},
	{data.ErrDeactivated, connect.CodePermissionDenied},
	{data.ErrNotFound, connect.CodeNotFound},
	{data.ErrLocked, connect.CodeFailedPrecondition},
	{data.ErrClosedDay, connect.CodeFailedPrecondition},
	{data.ErrNotEmpty, connect.CodeAlreadyExists},
	{data.ErrDamaged, connect.CodeDataLoss},
	{data.ErrInvalid, connect.CodeInvalidArgument},
}

// ErrNotSignedIn is a call that needs a session without one (or with one the
// hub no longer knows).
var ErrNotSignedIn = errors.New("not signed in on the hub")

// ErrDeviceNotPaired is a call from a device the hub does not know as
// paired: no credential, a wrong one, or one of a revoked device.
var ErrDeviceNotPaired = errors.New("this device is not paired with the location's computer")

// otherSentinels are the errors besides package data's that keep their
// identity across the network.
var otherSentinels = map[string]error{
	"context.Canceled":         context.Canceled,
	"context.DeadlineExceeded": context.DeadlineExceeded,
	"ErrNotSignedIn":           ErrNotSignedIn,
	"ErrDeviceNotPaired":       ErrDeviceNotPaired,
}

// ErrorJSON is how an error travels: in a Connect error's detail, and as a
// field of type error in a result (RequestPreview.Problem).
type ErrorJSON struct {
	Message string `json:"message"`
	// Kinds are the names of the sentinel errors it is (errors.Is).
	Kinds []string `json:"kinds,omitempty"`
	// Typed are the error values it carries (errors.As): a Refusal with its
	// code and args, a WindowError with its window…
	Typed []TypedJSON `json:"typed,omitempty"`
}

// TypedJSON is one error value of a type of package data.
type TypedJSON struct {
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

// EncodeError is err as it travels; nil for nil.
func EncodeError(err error) *ErrorJSON {
	if err == nil {
		return nil
	}
	out := &ErrorJSON{Message: err.Error()}
	for name, s := range Sentinels {
		if errors.Is(err, s) {
			out.Kinds = append(out.Kinds, name)
		}
	}
	for name, s := range otherSentinels {
		if errors.Is(err, s) {
			out.Kinds = append(out.Kinds, name)
		}
	}
	sort.Strings(out.Kinds)
	for _, t := range typedErrors {
		if v, ok := t.find(err); ok {
			// A field of type error inside it (a cause) does not travel.
			if b, err := json.Marshal(v); err == nil {
				out.Typed = append(out.Typed, TypedJSON{Type: t.name, Value: b})
			}
		}
	}
	return out
}

// Err is the error as the hub meant it: errors.Is finds the same sentinel
// errors, errors.As the same typed values.
func (e *ErrorJSON) Err() error {
	if e == nil {
		return nil
	}
	out := &Error{Message: e.Message}
	for _, k := range e.Kinds {
		if s, ok := Sentinels[k]; ok {
			out.kinds = append(out.kinds, s)
		} else if s, ok := otherSentinels[k]; ok {
			out.kinds = append(out.kinds, s)
		}
	}
	for _, t := range e.Typed {
		for _, known := range typedErrors {
			if known.name != t.Type {
				continue
			}
			// Best effort: a field that cannot be decoded (a cause of type
			// error) stays empty, the rest is there.
			v, err := known.make(t.Value)
			var typeErr *json.UnmarshalTypeError
			if err == nil || errors.As(err, &typeErr) {
				out.kinds = append(out.kinds, v)
			}
		}
	}
	return out
}

// typedError is an error type of package data that errors.As finds on the
// client as on the hub.
type typedError struct {
	name string
	find func(error) (error, bool)
	make func(json.RawMessage) (error, error)
}

// ToConnect is err as a Connect error: a code for curl and other clients,
// and a detail (google.protobuf.Struct) with the error as ErrorJSON.
func ToConnect(err error) error {
	if err == nil {
		return nil
	}
	var ce *connect.Error
	if errors.As(err, &ce) {
		return err
	}
	code := connect.CodeUnknown
	for _, c := range codes {
		if errors.Is(err, c.err) {
			code = c.code
			break
		}
	}
	out := connect.NewError(code, errors.New(err.Error()))
	var fields map[string]any
	if b, err := json.Marshal(EncodeError(err)); err == nil && json.Unmarshal(b, &fields) == nil {
		if st, err := structpb.NewStruct(fields); err == nil {
			if d, err := connect.NewErrorDetail(st); err == nil {
				out.AddDetail(d)
			}
		}
	}
	return out
}

// Error is an error the hub answered: its message, and the errors it
// counts as (errors.Is) and carries (errors.As).
type Error struct {
	Message string
	kinds   []error
}

func (e *Error) Error() string   { return e.Message }
func (e *Error) Unwrap() []error { return e.kinds }

// FromConnect is the error a Connect call returned, as the hub meant it. A
// failure of the network itself stays as Connect gives it.
func FromConnect(err error) error {
	var ce *connect.Error
	if err == nil || !errors.As(err, &ce) {
		return err
	}
	for _, d := range ce.Details() {
		v, err := d.Value()
		st, ok := v.(*structpb.Struct)
		if err != nil || !ok {
			continue
		}
		b, err := json.Marshal(st.AsMap())
		var e ErrorJSON
		if err == nil && json.Unmarshal(b, &e) == nil && e.Message != "" {
			return e.Err()
		}
	}
	// Not from the hub's handlers (a cancelled call, a proxy): Connect's
	// own error, with the context error it stands for.
	switch ce.Code() {
	case connect.CodeCanceled:
		return fmt.Errorf("%w: %w", context.Canceled, err)
	case connect.CodeDeadlineExceeded:
		return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
	}
	return err
}
