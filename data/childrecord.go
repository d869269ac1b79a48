package data

import (
	"time"
)

// AttendanceRecord is one day's attendance record of a child, as exported.
type AttendanceRecord struct {
	Date       Date       `json:"date"`
	GroupID    ID         `json:"groupId"`
	Attendance Attendance `json:"attendance"`
}

// ChildRecord is everything the store holds about one child: what a parent
// receives when they ask for their child's data (AVG/GDPR articles 15 and 20).
// Absences are the attendance records marked absent; the credit they earned is
// in Credit.
type ChildRecord struct {
	ExportedAt time.Time `json:"exportedAt"`
	Child      Child     `json:"child"` // with picture
	Location   Location  `json:"location"`
	School     *School   `json:"school,omitempty"`
	// Groups are the groups the records below name, so a reader sees names, not IDs.
	Groups     []Group            `json:"groups"`
	Contracts  []Contract         `json:"contracts"`
	Attendance []AttendanceRecord `json:"attendance"` // by date
	// Credit is the whole ledger, expired and withdrawn entries too, by expiry.
	Credit   []CreditEntry `json:"credit"`
	Requests []Request     `json:"requests"` // by day
	// Consent is the photo-consent history in recording order.
	Consent []ConsentChange `json:"consent"`
	SignUps []SignUp        `json:"signUps"` // by date
}
