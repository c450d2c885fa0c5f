#pragma once
// JSON for the plan routes (GET /v1/plans/{family_id}, GET /v1/oversight, GET /v1/me/families)
// and the counts-only detail of their audit entries. Pure functions over plain values; any thread.
//
// Dates are "YYYY-MM-DD", moments "YYYY-MM-DDTHH:MM:SSZ" (UTC). An item carries only the keys of
// its level: "title" and "subject" from `summary`, "body" and "owner" at `full`; absent keys are
// left out rather than sent as null, so a client cannot mistake "hidden" for "empty".

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <span>
#include <string>
#include <vector>

#include "gateway/plan/oversight.hpp"
#include "gateway/plan/plan.hpp"

namespace sluis::plan {

// The body of GET /v1/plans/{family_id}:
//   {"family_id","policy_version","generated_at","own_gezinsmanager",
//    "gezinsmanager":{"organisation","name"|null}|null,
//    "members":[{"id","label","age","role"[,"gezag_holders":[label],"gezag_holders_elsewhere":N,
//                "consent":{"consents":[...],"missing":[...]}]}],
//    "family_consent":{...}|null,
//    "organisations":[{"id","name","sector","contact","professional_secrecy","domains":[id]}],
//    "domains":[{"id","name","goals":[item],"actions":[item],"evaluations":[item],
//                "deadlines":[item],"notes":[item],"involvements":[item],
//                "hidden":{"count":N,"reasons":[{"code","message","action","items"}]}}],
//    "totals":{"shown","hidden","overdue","due_soon","flagged","next_due"}}
// consent: {"id","state":"valid"|"not-yet-valid"|"expired"|"withdrawn"|"signatures-missing",
//           "granted_by":[label],"recipient_organisations","recipient_roles","purposes",
//           "categories","domains","valid_from","valid_until","effective_until","withdrawn_at"}
// missing: {"domain","category","source_organisation","reason","items"}
// item: {"id","level","kind","domain","status","source_organisation","start_date","due_date",
//        "end_date","updated_at","due":"overdue"|"due_soon"|null,"withdrawn","basis","flagged",
//        "reasons":[{"code","message","action","rule"}][,"subject","title"][,"body","owner"]}
// `sp` is the storage of the returned tree (default: the heap).
boost::json::object to_json(const family_plan& plan, const boost::json::storage_ptr& sp = {});

// to_json(plan) serialised, built in a short-lived arena: what the route sends.
std::string to_json_text(const family_plan& plan);

// The body of GET /v1/oversight: {"policy_version","generated_at","families":[{"family_id",
// "organisations":[{"id","name","sector"}],"goals_by_status":{status:N},"items_shown",
// "items_hidden","overdue","due_soon","next_due"}]}. No text: see oversight.hpp.
boost::json::object to_json(const oversight& view);

// One entry of GET /v1/me/families. `label` is the family's own sealed label, which the caller
// reads from the store (stored_family does not carry it yet); family_card holds the rest.
//   {"family_id","label","members":[label],"organisations":N,"next_deadline":date|null,"overdue":N}
boost::json::object to_json(const family_card& card, std::string_view label);

// What an audit entry of a plan view records: counts and codes only, never personal text (no
// titles, labels, reason sentences or ids of items). `detail` is
//   {"shown":N,"hidden":{reason_code:N},"bases":{basis:N},"flagged":N,"organisations":N}
// where "hidden" counts hidden items per reason code (an item with two reasons counts under both)
// and "bases" counts the legal basis of every contribution the plan reflects at all (listed,
// counted as hidden, or only naming its organisation as involved); "none" is the own-organisation
// basis, not a level.
// `legal_bases` is the distinct set of bases other than "none", sorted, for the entry's
// legal_basis field (join with ","); `break_glass` is true when anything shown rests on it.
struct plan_audit {
  boost::json::object detail;
  std::vector<std::string> legal_bases;
  std::string policy_version;
  bool break_glass = false;
};
plan_audit audit_detail(const family_plan& plan);

// The same for an oversight view: {"families":N,"shown":N,"hidden":N,"overdue":N}.
plan_audit audit_detail(const oversight& view);

// The pseudonyms (hex) of the members whose data the plan shows (members listed, and subjects of
// items shown), for the audit entry's `subjects`, so that a citizen's inzage finds this view.
std::vector<std::string> audit_subjects(const family_plan& plan,
                                        const cases::stored_family& family);

}  // namespace sluis::plan
