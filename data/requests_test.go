package data_test

import (
	"errors"
	"testing"

	"locatiedesk/data"
)

// TestChannelFor_R1_FollowsTheRole: the channel is never staff's choice.
func TestChannelFor_R1_FollowsTheRole(t *testing.T) {
	s := data.DefaultSettings() // parents' window 28 down to 4 days
	for _, tc := range []struct {
		role   data.Role
		asked  data.Channel
		before int
		want   data.Channel
		err    error
	}{
		{data.RoleStaff, "", 10, data.ChannelGroup, nil},
		{data.RoleStaff, "", 2, data.ChannelGroup, nil},
		{data.RoleStaff, data.ChannelOffice, 10, "", data.ErrForbidden},
		{data.RoleOffice, "", 10, data.ChannelOffice, nil},
		{data.RoleOffice, "", 2, data.ChannelOffice, nil},
		{data.RoleOffice, data.ChannelGroup, 2, "", data.ErrForbidden},
		{data.RoleManager, "", 10, data.ChannelOffice, nil},
		{data.RoleManager, "", 4, data.ChannelOffice, nil},
		{data.RoleManager, "", 3, data.ChannelGroup, nil},
		{data.RoleManager, data.ChannelGroup, 10, data.ChannelGroup, nil},
		{"", data.ChannelOffice, 2, data.ChannelOffice, nil},
		{data.RoleManager, data.ChannelParent, 10, "", data.ErrInvalid},
	} {
		got, err := data.ChannelFor(tc.role, tc.asked, tc.before, s)
		if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("ChannelFor(%q, %q, %d) = %q, %v; want %q, %v", tc.role, tc.asked, tc.before, got, err, tc.want, tc.err)
		}
	}
}
