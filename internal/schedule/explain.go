package schedule

import (
	"fmt"
	"strings"
)

// polish improves secondary preferences without changing which workshops
// are assigned: smaller free rooms, facilitators carrying the workshop's
// commitments or sharing its topics, and a more even load.
func (s *state) polish() {
	m := s.m
	for w := int32(0); w < int32(m.n); w++ {
		if !s.in[w] {
			continue
		}
		if m.pinRoom[w] < 0 {
			for _, r := range m.roomCands[w] {
				if r == s.room[w] {
					break
				}
				if s.roomFree(r, w) {
					s.rawSetRoom(w, r)
					break
				}
			}
		}
		for k := 0; k < len(s.facs[w]); k++ {
			p := s.facs[w][k]
			if s.isPinned(w, p) {
				continue
			}
			sp := s.score(w, p)
			for i, q := range m.facCands[w] {
				sq := m.facScore[w][i]
				if sq < sp {
					break
				}
				if q == p || s.hasFac(w, q) {
					continue
				}
				if (sq > sp || len(s.facUse[q])+1 < len(s.facUse[p])) && s.facFree(q, w) {
					s.rawRemFac(w, p)
					s.rawAddFac(w, q)
					k = -1 // facs[w] was reordered: rescan
					break
				}
			}
		}
	}
}

// score returns the preference score of p for w.
func (s *state) score(w, p int32) int8 {
	for i, q := range s.m.facCands[w] {
		if q == p {
			return s.m.facScore[w][i]
		}
	}
	return 0
}

// roomFree reports whether r can take w without moving anything.
func (s *state) roomFree(r, w int32) bool {
	for _, u := range s.roomUse[r] {
		if u != w && s.m.overlap(u, w) {
			return false
		}
	}
	return true
}

// facFree reports whether p can lead w without moving anything.
func (s *state) facFree(p, w int32) bool {
	for _, u := range s.facUse[p] {
		if u != w && s.m.overlap(u, w) {
			return false
		}
	}
	return s.dayLoad[int(p)*s.m.nDays+int(s.m.day[w])] < s.m.mpd
}

// fill assigns every unassigned workshop that has, in the current state,
// a free room and enough free facilitators without moving anything, so that
// each workshop left out lacks something real (see reason).
func (s *state) fill() {
	m := s.m
	for w := int32(0); w < int32(m.n); w++ {
		if s.in[w] || m.static[w] != "" {
			continue
		}
		room := int32(-1)
		for _, r := range m.roomCands[w] {
			if s.roomFree(r, w) {
				room = r
				break
			}
		}
		if room < 0 {
			continue
		}
		ok := true
		for _, p := range m.pinFac[w] {
			ok = ok && s.facFree(p, w)
		}
		var free []int32
		for _, p := range m.facCands[w] {
			if len(free)+len(m.pinFac[w]) == int(m.need[w]) {
				break
			}
			if s.facFree(p, w) {
				free = append(free, p)
			}
		}
		if !ok || len(free)+len(m.pinFac[w]) < int(m.need[w]) {
			continue
		}
		s.rawSetRoom(w, room)
		for _, p := range m.pinFac[w] {
			s.rawAddFac(w, p)
		}
		for _, p := range free {
			s.rawAddFac(w, p)
		}
		s.rawSetIn(w, true)
	}
}

// reason explains in French why w is not fully assigned. Every lack it
// states holds in the final assignment: no room of the capacity is free over
// the whole workshop, a pinned facilitator leads an overlapping workshop or
// has reached the daily limit, fewer free facilitators than needed.
func (s *state) reason(w int32) string {
	m := s.m
	ws := &m.inst.Workshops[w]
	var parts []string
	if m.static[w] != "" {
		parts = append(parts, m.staticPin[w]...)
	}
	switch r := m.pinRoom[w]; {
	case r >= 0 && len(m.roomCands[w]) == 0:
		// Too small or busy elsewhere: in staticPin.
	case r >= 0:
		for _, u := range s.roomUse[r] {
			if u != w && m.overlap(u, w) {
				parts = append(parts, fmt.Sprintf("la salle imposée %s est déjà attribuée à l'atelier %s à %s",
					roomLabel(&m.inst.Rooms[r]), m.inst.Workshops[u].ID, frenchClock(ws.Start)))
				break
			}
		}
	default:
		free := false
		for _, r := range m.roomCands[w] {
			free = free || s.roomFree(r, w)
		}
		if !free {
			parts = append(parts, noRoom(ws.Capacity, ws.Start))
		}
	}
	for _, p := range m.pinFac[w] {
		if m.pinOK(w, p) && !s.facFree(p, w) {
			parts = append(parts, s.pinnedBusy(w, p))
		}
	}
	free := 0
	for _, p := range m.facCands[w] {
		if s.facFree(p, w) {
			free++
		}
	}
	// When too few people could ever lead w, say how many are missing at
	// best: fewer still are free in the final assignment.
	others := int(m.need[w]) - len(m.pinFac[w])
	if lack := others - len(m.facCands[w]); lack > 0 {
		parts = append(parts, missingFacilitators(lack, ws.Start))
	} else if lack := others - free; lack > 0 {
		parts = append(parts, missingFacilitators(lack, ws.Start))
	}
	if len(parts) == 0 {
		parts = append(parts, "conflit avec d'autres ateliers déjà planifiés "+frenchWhen(ws.Start))
	}
	return strings.Join(parts, " ; ")
}

// pinnedBusy explains why the pinned facilitator p, available for w, cannot
// lead it in the current state.
func (s *state) pinnedBusy(w, p int32) string {
	m := s.m
	name := personLabel(&m.inst.Facilitators[p])
	for _, u := range s.facUse[p] {
		if u != w && m.overlap(u, w) {
			return fmt.Sprintf("l'animateur imposé %s anime déjà l'atelier %s %s",
				name, m.inst.Workshops[u].ID, frenchWhen(m.inst.Workshops[u].Start))
		}
	}
	return fmt.Sprintf("l'animateur imposé %s anime déjà %d ateliers le %s (maximum %d par jour)",
		name, s.dayLoad[int(p)*m.nDays+int(m.day[w])], FrenchDate(m.inst.Workshops[w].Start), m.mpd)
}
