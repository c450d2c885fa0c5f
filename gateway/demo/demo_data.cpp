#include "gateway/demo/demo_data.hpp"

#include <algorithm>
#include <chrono>

#include "policy/calendar.hpp"

namespace sluis::demo {

std::int64_t days_after(std::int64_t moment, day_offset days) {
  const std::chrono::sys_seconds from{std::chrono::seconds{moment}};
  return policy::add_days(from, days).time_since_epoch().count();
}
namespace {

// Organisations of deploy/config.example.toml.
constexpr std::string_view wijkteam = "wijkteam-noord";
constexpr std::string_view ggz = "ggz-noord";
constexpr std::string_view jeugdhulp = "jeugdhulp-noord";
constexpr std::string_view schuldhulp = "schuldhulp-noord";
constexpr std::string_view woningcorporatie = "woningcorporatie-noord";
constexpr std::string_view werk_inkomen = "werk-inkomen";
constexpr std::string_view veilig_thuis = "veilig-thuis";
constexpr std::string_view politie = "politie-noord";
constexpr std::string_view gemeente = "gemeente-noord";

constexpr auto parent = policy::member_role::parent;
constexpr auto child = policy::member_role::child;
constexpr auto other = policy::member_role::other;

constexpr auto involvement = policy::record_kind::involvement;
constexpr auto goal = policy::record_kind::goal;
constexpr auto action = policy::record_kind::action;
constexpr auto evaluation = policy::record_kind::evaluation;
constexpr auto deadline = policy::record_kind::deadline;
constexpr auto note = policy::record_kind::note;

constexpr auto regular = policy::category::regular;
constexpr auto special = policy::category::special;    // AVG art. 9: health, GGZ, addiction
constexpr auto criminal = policy::category::criminal;  // AVG art. 10

// Demo professionals (fictional), as owners of goals and actions.
constexpr std::string_view jansen = "Anouk Jansen";
constexpr std::string_view bakker = "Ruben Bakker";
constexpr std::string_view de_vries = "Sanne de Vries";
constexpr std::string_view peters = "Marloes Peters";
constexpr std::string_view smeets = "Erik Smeets";
constexpr std::string_view el_idrissi = "Fatima El Idrissi";
constexpr std::string_view willems = "Joost Willems";
constexpr std::string_view van_dam = "Wijkagent Van Dam";
constexpr std::string_view hendriks = "Lotte Hendriks";

const std::vector<std::string_view> to_gezinsmanager = {"gezinsmanager"};

// The demo families, written as data in code; issue 21 asks for a data file instead, which is
// still open (see its closing note).
// NOLINTNEXTLINE(readability-function-size)
std::vector<family_spec> make_families() {
  std::vector<family_spec> f;

  // 1. Voortman: the browser test's family. Under the coordination ground the gezinsmanager knows
  // that GGZ is involved, but the GGZ items about the mother are hidden because no consent covers
  // GGZ data; recording one makes them appear.
  f.push_back({
      .story = "Voortman (Lelystad)",
      .label = "Gezin V.",
      .gezinsmanager = "gm-jansen",
      .members = {{"moeder", parent, 38, "999990007", {}},
                  {"vader", parent, 41, "999990056", {}},
                  {"oudste zoon", child, 14, "999990147", {"moeder"}},
                  {"oudste dochter", child, 12, "999990196", {"moeder"}},
                  {"middelste zoon", child, 9, "999990238", {"moeder"}},
                  {"jongste dochter", child, 6, "999990287", {"moeder"}},
                  {"jongste zoon", child, 3, "999990329", {"moeder"}}},
      .items =
          {{wijkteam, "", "opvoeding", involvement, regular, "active",
            "Jeugd- en gezinsteam betrokken als gezinsmanager",
            "Het JGT brengt Wmo-consulent, Werk & Inkomen, woningcorporatie en GGZ aan één tafel.",
            jansen, -120},
           {wijkteam, "", "onderwijs", goal, regular, "active",
            "De kinderen gaan weer elke dag naar school",
            "Oudste zoon en oudste dochter verzuimen veel; afspraken met school en leerplicht.",
            jansen, -90, 60},
           {wijkteam, "oudste zoon", "onderwijs", action, regular, "in-progress",
            "Gesprek met leerplichtambtenaar en mentor plannen", "", jansen, -30, -5},
           {werk_inkomen,
            "moeder",
            "werk-inkomen",
            goal,
            regular,
            "achieved",
            "Gezinsbijslag snel geregeld",
            "Binnen twee weken toegekend na het gezinsgesprek.",
            el_idrissi,
            -100,
            {},
            -30},
           {werk_inkomen, "moeder", "financien", action, regular, "active",
            "Bijzondere bijstand voor inrichting aanvragen", "", el_idrissi, -14, 9},
           {woningcorporatie, "", "wonen", goal, regular, "active",
            "Een grotere woning voor het gezin", "Zes personen in een kleine flat; urgentie nodig.",
            smeets, -80, 45},
           {woningcorporatie, "", "wonen", action, regular, "in-progress",
            "Urgentieverklaring aanvragen", "Bespreking in de urgentiecommissie.", smeets, -20, 12},
           {woningcorporatie, "", "wonen", deadline, regular, "active",
            "Huurachterstand: uiterste datum betalingsregeling",
            "Daarna vraagt de corporatie ontruiming aan.", smeets, -40, -2},
           {schuldhulp, "moeder", "financien", goal, regular, "active",
            "Schulden in kaart en stabiliseren", "", peters, -60, 90},
           {schuldhulp,
            "moeder",
            "financien",
            action,
            regular,
            "planned",
            "Aanmelding Wsnp voorbereiden",
            "",
            peters,
            {},
            30},
           {ggz, "moeder", "psychische-gezondheid", goal, special, "active",
            "Behandeling van de depressieve klachten van moeder",
            "Moeder is in behandeling bij GGZ Noord; wekelijks gesprek, medicatie wordt "
            "opgebouwd.",
            de_vries, -70, 110},
           {ggz,
            "moeder",
            "psychische-gezondheid",
            evaluation,
            special,
            "done",
            "Evaluatie na acht weken behandeling",
            "Stemming iets verbeterd; zorgen om de woonsituatie houden de klachten in stand.",
            de_vries,
            {},
            {},
            -14}},
      .consents = {{.shows = consent_case::valid,
                    .subject = "moeder",
                    .granted_by = {"moeder"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"financien", "wonen", "werk-inkomen", "onderwijs", "opvoeding"},
                    .valid_from = -60,
                    .valid_until = 305,
                    .form_reference = "TV-2026-0142"},
                   {.shows = consent_case::without_gezag,
                    .subject = "oudste zoon",
                    .granted_by = {"vader"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"onderwijs"},
                    .valid_from = -20,
                    .valid_until = 345,
                    .form_reference = "TV-2026-0151"}},
      // The JGT brings five organisations to one table (the story): coordination under the
      // afstemmingsbepaling, so the gezinsmanager knows that GGZ is involved and whose consent is
      // missing, without seeing GGZ's records.
      .grounds = {{.decided_by = "teamleider jeugd- en gezinsteam",
                   .necessity =
                       "Schooluitval, schulden, psychische klachten en dreigende "
                       "uitzetting; vijf organisaties helpen zonder onderlinge afstemming.",
                   .proportionality = "Alleen kopjes van gewone gegevens; van GGZ alleen dat zij "
                                      "betrokken is, niet wat.",
                   .subsidiarity = "Moeder gaf toestemming voor gewone gegevens, niet voor GGZ; "
                                   "zonder afstemming dreigt de uitzetting door te gaan.",
                   .family_informed = -30,
                   .valid_from = -30,
                   .valid_until = 150}},
  });

  // 2. Derksen: a 15-year-old's consent needs a parent with gezag as well.
  f.push_back({
      .story = "Derksen (Lelystad)",
      .label = "Gezin D.",
      .gezinsmanager = "gm-bakker",
      .members = {{"moeder", parent, 47, "999990378", {}},
                  {"vader", parent, 49, "999990469", {}},
                  {"dochter", child, 15, "999991036", {"moeder", "vader"}}},
      .items = {{jeugdhulp, "dochter", "opvoeding", involvement, regular, "active",
                 "Jeugdhulp betrokken: begeleider aan huis", "", bakker, -172},
                {jeugdhulp, "dochter", "opvoeding", deadline, regular, "active",
                 "Einddatum beschikking begeleiding (zes maanden)",
                 "Verlenging tijdig aanvragen bij de gemeente.", hendriks, -172, 8},
                {jeugdhulp, "dochter", "gezondheid", goal, special, "active",
                 "Passende zorg voor de lichamelijke klachten van dochter", "", hendriks, -150, 40},
                {ggz, "dochter", "psychische-gezondheid", note, special, "active",
                 "Intake kinder- en jeugdpsychiatrie",
                 "Ernstige angstklachten; behandeling start na de intake.", de_vries, -12},
                {wijkteam, "dochter", "onderwijs", goal, regular, "active",
                 "Passend onderwijs in plaats van thuisonderwijs", "", bakker, -160, 40},
                {wijkteam, "", "onderwijs", action, regular, "in-progress",
                 "Overleg met het schoolbestuur over de bekostiging",
                 "School en JGT zijn het oneens over wie betaalt; escalatie naar de procesmanager.",
                 bakker, -120, -21},
                {wijkteam,
                 "moeder",
                 "netwerk",
                 evaluation,
                 regular,
                 "done",
                 "Evaluatie: moeder overbelast door thuisonderwijs",
                 "",
                 bakker,
                 {},
                 {},
                 -30}},
      .consents = {{.shows = consent_case::child_alone,
                    .subject = "dochter",
                    .granted_by = {"dochter"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {special},
                    .domains = {"psychische-gezondheid", "gezondheid"},
                    .valid_from = -10,
                    .valid_until = 355,
                    .form_reference = "TV-2026-0163"},
                   {.shows = consent_case::child_and_parent,
                    .subject = "dochter",
                    .granted_by = {"dochter", "moeder"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"onderwijs", "opvoeding", "netwerk"},
                    .valid_from = -30,
                    .valid_until = 335,
                    .form_reference = "TV-2026-0158"}},
  });

  // 3. Smit: criminal and addiction data; a crisis with an active break-the-glass.
  f.push_back({
      .story = "Smit (Maastricht)",
      .label = "Gezin S.",
      .gezinsmanager = "gm-jansen",
      .members = {{"moeder", parent, 44, "999991085", {}},
                  {"dochter", child, 11, "999991127", {"moeder"}}},
      .items = {{politie, "moeder", "veiligheid", note, criminal, "done",
                 "Hennepkwekerij aangetroffen in de woning", "Proces-verbaal opgemaakt.", van_dam,
                 -25},
                {politie, "moeder", "veiligheid", involvement, regular, "active",
                 "Politie betrokken na bedreiging door derden", "", van_dam, -25},
                {woningcorporatie, "", "wonen", deadline, regular, "active",
                 "Woning gesloten op last van de burgemeester (Opiumwet)",
                 "Sluiting voor drie maanden.", smeets, -20, 70},
                {woningcorporatie, "", "wonen", action, regular, "in-progress",
                 "Tijdelijke woonruimte voor moeder en dochter", "", smeets, -19, 3},
                {ggz, "moeder", "verslaving", note, special, "active",
                 "Terugval in middelengebruik", "Crisisdienst ingeschakeld; opname besproken.",
                 de_vries, -18},
                {ggz, "moeder", "psychische-gezondheid", goal, special, "active",
                 "Stabilisatie van de depressie", "", de_vries, -200, 60},
                {schuldhulp, "moeder", "financien", action, regular, "in-progress",
                 "Beschermingsbewind aanvragen bij de kantonrechter", "", peters, -30, -7},
                {wijkteam, "dochter", "opvoeding", goal, regular, "active",
                 "Dochter blijft naar school gaan en heeft een veilige plek",
                 "Logeert bij een tante zolang de woning gesloten is.", jansen, -20, 30}},
      .consents = {{.shows = consent_case::expired,
                    .subject = "moeder",
                    .granted_by = {"moeder"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"financien", "wonen"},
                    .valid_from = -400,
                    .valid_until = -35,
                    .form_reference = "TV-2025-0877"}},
      .break_glass = {{"gm-jansen",
                       "Crisis: moeder en dochter bedreigd na sluiting van de woning; vandaag is "
                       "een veiligheidsplan nodig met alle betrokken organisaties.",
                       20, 240}},
  });

  // 4. Yildiz: domestic violence, a provisional OTS; the mother withdrew her consent.
  f.push_back({
      .story = "Yildiz (Maastricht)",
      .label = "Gezin Y.",
      .gezinsmanager = "gm-bakker",
      .members = {{"moeder", parent, 35, "999991176", {}},
                  {"oudste dochter", child, 14, "999991218", {"moeder"}},
                  {"oudste zoon", child, 12, "999991267", {"moeder"}},
                  {"tweede dochter", child, 10, "999991309", {"moeder"}},
                  {"tweede zoon", child, 8, "999991358", {"moeder"}},
                  {"derde dochter", child, 6, "999991449", {"moeder"}},
                  {"jongste zoon", child, 3, "999991498", {"moeder"}},
                  {"baby", child, 1, "999991589", {"moeder"}}},
      .items = {{veilig_thuis, "", "huiselijk-geweld", involvement, regular, "active",
                 "Melding huiselijk geweld in onderzoek", "", willems, -60},
                {veilig_thuis, "moeder", "huiselijk-geweld", action, regular, "in-progress",
                 "Veiligheidsplan opstellen met moeder", "", willems, -50, 6},
                {jeugdhulp, "", "opvoeding", deadline, regular, "active",
                 "Voorlopige OTS: zitting bij de kinderrechter", "", hendriks, -45, 11},
                {jeugdhulp, "", "opvoeding", note, regular, "active",
                 "Kinderen geplaatst in drie pleeggezinnen", "Bezoekregeling met moeder wekelijks.",
                 hendriks, -44},
                {woningcorporatie,
                 "moeder",
                 "wonen",
                 goal,
                 regular,
                 "planned",
                 "Moeder heeft een eigen woning",
                 "",
                 smeets,
                 {},
                 120},
                {wijkteam,
                 "moeder",
                 "wonen",
                 action,
                 regular,
                 "done",
                 "Plek in de maatschappelijke opvang",
                 "",
                 bakker,
                 -58,
                 {},
                 -40},
                {schuldhulp, "moeder", "financien", goal, regular, "active",
                 "Schuldenoverzicht en budgetbeheer", "", peters, -35, 60}},
      .consents = {{.shows = consent_case::withdrawn,
                    .subject = "moeder",
                    .granted_by = {"moeder"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"financien", "wonen"},
                    .valid_from = -90,
                    .valid_until = 275,
                    .withdrawn = -12,
                    .form_reference = "TV-2026-0099"}},
  });

  // 5. Kuipers: mostly regular financial data, consents from both parents.
  f.push_back({
      .story = "Kuipers (Maastricht)",
      .label = "Gezin K.",
      .gezinsmanager = "gm-jansen",
      .members = {{"moeder", parent, 33, "999992016", {}},
                  {"vader", parent, 36, "999992065", {}},
                  {"zoon", child, 0, "999992107", {"moeder", "vader"}}},
      .items = {{werk_inkomen, "", "financien", deadline, regular, "active",
                 "UWV vordert 17.000 euro terug: bezwaartermijn", "", el_idrissi, -32, 10},
                {werk_inkomen, "vader", "werk-inkomen", action, regular, "in-progress",
                 "Aanvraag bijstand en re-integratietraject", "", el_idrissi, -20, 25},
                {schuldhulp, "", "financien", goal, regular, "active", "Betalingsregeling met UWV",
                 "", peters, -25, 60},
                {wijkteam, "", "financien", action, regular, "planned",
                 "Juridisch loket: bezwaar tegen de terugvordering", "", jansen, -10, -3},
                {ggz, "moeder", "psychische-gezondheid", note, special, "active",
                 "Behandeling postnatale depressie", "", de_vries, -45},
                {wijkteam,
                 "",
                 "netwerk",
                 evaluation,
                 regular,
                 "done",
                 "Evaluatie: grootouders helpen met de baby",
                 "",
                 jansen,
                 {},
                 {},
                 -7}},
      .consents = {{.shows = consent_case::valid,
                    .subject = "moeder",
                    .granted_by = {"moeder"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"financien", "werk-inkomen", "netwerk"},
                    .valid_from = -30,
                    .valid_until = 335,
                    .form_reference = "TV-2026-0120"},
                   {.shows = consent_case::valid,
                    .subject = "",
                    .granted_by = {"moeder", "vader"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"financien", "werk-inkomen", "netwerk"},
                    .valid_from = -30,
                    .valid_until = 335,
                    .form_reference = "TV-2026-0121"}},
  });

  // 6. Koen: treatment found in two days, five funders declined; with his consent the
  // gezinsmanager does see the GGZ items (the opposite of Gezin V.).
  f.push_back({
      .story = "Koen (Wie gaat dat betalen)",
      .label = "Huishouden Ko.",
      .gezinsmanager = "gm-jansen",
      .members = {{"jongvolwassene", other, 23, "999992156", {}}},
      .items = {{ggz, "jongvolwassene", "psychische-gezondheid", involvement, special, "active",
                 "Behandelplek gevonden binnen twee dagen", "", de_vries, -24},
                {wijkteam, "jongvolwassene", "financien", action, regular, "declined",
                 "Financiering behandeling: zorgverzekeraar", "Valt buiten de polis.", jansen, -23},
                {werk_inkomen, "jongvolwassene", "financien", action, regular, "declined",
                 "Financiering behandeling: bijzondere bijstand", "Geen bijstandsgerechtigde.",
                 el_idrissi, -22},
                {jeugdhulp, "jongvolwassene", "financien", action, regular, "declined",
                 "Financiering behandeling: verlengde jeugdhulp", "Ouder dan 18.", hendriks, -20},
                {wijkteam, "jongvolwassene", "financien", action, regular, "declined",
                 "Financiering behandeling: Wmo", "Geen maatwerkvoorziening.", jansen, -18},
                {wijkteam, "jongvolwassene", "financien", action, regular, "declined",
                 "Financiering behandeling: zorgkantoor (Wlz)", "Geen Wlz-indicatie.", jansen, -15},
                {wijkteam, "jongvolwassene", "financien", action, regular, "active",
                 "Maatwerkbudget via de procesmanager", "Escalatie na drie weken weigeringen.",
                 jansen, -3, 4}},
      .consents = {{.shows = consent_case::valid,
                    .subject = "jongvolwassene",
                    .granted_by = {"jongvolwassene"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular, special},
                    .domains = {"psychische-gezondheid", "financien"},
                    .valid_from = -24,
                    .valid_until = 341,
                    .form_reference = "TV-2026-0170"}},
  });

  // 7. Cees: only signals of involvement; no file, no consent.
  f.push_back({
      .story = "Grandfather and grandson Cees (Wethouders wil is wet)",
      .label = "Gezin C.",
      .gezinsmanager = "gm-jansen",
      .members = {{"grootvader", other, 78, "999992247", {}},
                  {"kleinzoon", child, 10, "999992296", {}}},
      .items = {{woningcorporatie, "", "wonen", involvement, regular, "active",
                 "Signaal: zorgen van buren over de woning", "", smeets, -15},
                {politie, "", "veiligheid", involvement, regular, "active",
                 "Signaal: melding van buren", "", van_dam, -11},
                {wijkteam, "", "opvoeding", involvement, regular, "active",
                 "Wijkteam betrokken na signalen", "", jansen, -9},
                {veilig_thuis, "kleinzoon", "huiselijk-geweld", involvement, regular, "active",
                 "Vermoeden van mishandeling: advies gevraagd", "", willems, -8}},
  });

  // 8. Utrecht case 4: the father has gezag and refuses to sign, so the children's consent is
  // missing; a coordination ground allows summary-level coordination.
  f.push_back({
      .story = "Utrecht case 4",
      .label = "Gezin U.",
      .gezinsmanager = "gm-jansen",
      .members = {{"moeder", parent, 31, "999992338", {}},
                  {"vader", parent, 36, "999992387", {}},
                  {"oudste dochter", child, 10, "999992429", {"moeder", "vader"}},
                  {"zoon", child, 7, "999992478", {"moeder", "vader"}},
                  {"jongste dochter", child, 4, "999992569", {"moeder", "vader"}}},
      .items = {{wijkteam, "moeder", "opvoeding", goal, regular, "active",
                 "Moeder krijgt steun bij de opvoeding",
                 "Licht verstandelijke beperking; "
                 "ondersteuning thuis twee keer per week.",
                 jansen, -50, 130},
                {jeugdhulp, "", "opvoeding", action, regular, "in-progress",
                 "Ouderschapsplan na de vechtscheiding; mediation", "", hendriks, -40, 20},
                {jeugdhulp, "oudste dochter", "opvoeding", note, regular, "active",
                 "Loyaliteitsconflict bij oudste dochter", "", hendriks, -33},
                {werk_inkomen, "moeder", "werk-inkomen", goal, regular, "active",
                 "Dagbesteding voor moeder", "", el_idrissi, -28, 90},
                {schuldhulp, "moeder", "financien", action, regular, "active", "Budgetcoaching", "",
                 peters, -21, 13}},
      .consents = {{.shows = consent_case::valid,
                    .subject = "moeder",
                    .granted_by = {"moeder"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"opvoeding", "werk-inkomen", "financien"},
                    .valid_from = -45,
                    .valid_until = 320,
                    .form_reference = "TV-2026-0133"}},
      .grounds = {{.decided_by = "teamleider wijkteam",
                   .necessity = "Drie kinderen in een vechtscheiding; hulp stapelt zich op zonder "
                                "afstemming tussen wijkteam, jeugdhulp en Werk & Inkomen.",
                   .proportionality = "Alleen kopjes van gewone gegevens voor de gezinsmanager; "
                                      "geen gezondheids- of strafrechtelijke gegevens.",
                   .subsidiarity = "Toestemming voor de kinderen is niet te krijgen: vader heeft "
                                   "gezag en weigert te tekenen.",
                   .family_informed = -10,
                   .valid_from = -10,
                   .valid_until = 170}},
  });

  // 9. Eviction, addiction and a 17-year-old who consents on his own.
  f.push_back({
      .story = "Eviction and addiction (DOMAIN.md: housing, addiction, school)",
      .label = "Gezin A.",
      .gezinsmanager = "gm-jansen",
      .members = {{"vader", parent, 52, "999993045", {}},
                  {"moeder", parent, 49, "999993094", {}},
                  {"zoon", child, 17, "999993136", {"moeder", "vader"}}},
      .items = {{woningcorporatie, "", "wonen", deadline, regular, "active",
                 "Huurachterstand: ontruiming aangezegd", "", smeets, -30, 5},
                {schuldhulp, "", "financien", goal, regular, "active",
                 "Huurachterstand afgelost via schuldhulp", "", peters, -28, 75},
                {ggz, "vader", "verslaving", note, special, "active",
                 "Behandeling alcoholverslaving", "", de_vries, -60},
                {werk_inkomen, "moeder", "werk-inkomen", action, regular, "in-progress",
                 "Sollicitatietraining", "", el_idrissi, -40, -10},
                {wijkteam, "zoon", "onderwijs", goal, regular, "active",
                 "Zoon haalt zijn mbo-diploma", "", jansen, -90, 200}},
      .consents = {{.shows = consent_case::valid,
                    .subject = "zoon",
                    .granted_by = {"zoon"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"onderwijs", "werk-inkomen"},
                    .valid_from = -15,
                    .valid_until = 350,
                    .form_reference = "TV-2026-0166"},
                   {.shows = consent_case::withdrawn,
                    .subject = "vader",
                    .granted_by = {"vader"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {special},
                    .domains = {"verslaving"},
                    .valid_from = -50,
                    .valid_until = 315,
                    .withdrawn = -5,
                    .form_reference = "TV-2026-0110"}},
  });

  // 10. Newcomers: an inburgering deadline and a benefit start; a family consent from both.
  f.push_back({
      .story = "Inburgering deadline and benefit start (DOMAIN.md deadlines)",
      .label = "Gezin M.",
      .gezinsmanager = "gm-jansen",
      .members = {{"moeder", parent, 29, "999993185", {}},
                  {"vader", parent, 33, "999993227", {}},
                  {"dochter", child, 5, "999993276", {"moeder", "vader"}},
                  {"zoon", child, 2, "999993318", {"moeder", "vader"}}},
      .items = {{werk_inkomen, "moeder", "werk-inkomen", deadline, regular, "active",
                 "Einde inburgeringstermijn", "", el_idrissi, -600, 75},
                {werk_inkomen,
                 "vader",
                 "werk-inkomen",
                 action,
                 regular,
                 "done",
                 "Start uitkering",
                 "",
                 el_idrissi,
                 -20,
                 {},
                 -3},
                {wijkteam, "zoon", "onderwijs", action, regular, "active",
                 "Aanmelding voorschoolse educatie", "", jansen, -6, 13},
                {woningcorporatie,
                 "",
                 "wonen",
                 action,
                 regular,
                 "planned",
                 "Verhuizing naar een grotere woning",
                 "",
                 smeets,
                 {},
                 150}},
      .consents = {{.shows = consent_case::valid,
                    .subject = "",
                    .granted_by = {"moeder", "vader"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"werk-inkomen", "onderwijs", "wonen"},
                    .valid_from = -20,
                    .valid_until = 345,
                    .form_reference = "TV-2026-0160"}},
  });

  // 11. A father with gezag, a stepmother without it, a 13-year-old who stays at home.
  f.push_back({
      .story = "Thuiszitter with a stepmother without gezag (DOMAIN.md: gezag)",
      .label = "Gezin R.",
      .gezinsmanager = "gm-bakker",
      .members = {{"vader", parent, 45, "999993367", {}},
                  {"stiefmoeder", parent, 39, "999993409", {}},
                  {"zoon", child, 13, "999993458", {"vader"}}},
      .items = {{jeugdhulp, "zoon", "opvoeding", goal, regular, "active",
                 "Zoon gaat weer naar school", "", hendriks, -100, 60},
                {wijkteam, "zoon", "onderwijs", action, regular, "in-progress",
                 "Thuiszitter: plan met school en leerplicht", "", bakker, -45, -12},
                {jeugdhulp, "zoon", "opvoeding", deadline, regular, "active",
                 "Einddatum beschikking ambulante jeugdhulp", "", hendriks, -178, 4}},
      .consents = {{.shows = consent_case::child_and_parent,
                    .subject = "zoon",
                    .granted_by = {"zoon", "vader"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"opvoeding"},
                    .valid_from = -40,
                    .valid_until = 325,
                    .form_reference = "TV-2026-0128"},
                   {.shows = consent_case::without_gezag,
                    .subject = "zoon",
                    .granted_by = {"stiefmoeder"},
                    .recipient_roles = to_gezinsmanager,
                    .categories = {regular},
                    .domains = {"onderwijs"},
                    .valid_from = -35,
                    .valid_until = 330,
                    .form_reference = "TV-2026-0131"}},
  });

  // 12. Amsterdam level 3: child protection measure, domestic violence, no consent.
  f.push_back({
      .story = "Amsterdam level 3 (OTS, domestic violence)",
      .label = "Gezin L.",
      .gezinsmanager = "gm-bakker",
      .members = {{"moeder", parent, 27, "999993549", {}},
                  {"dochter", child, 4, "999993598", {"moeder"}},
                  {"zoon", child, 2, "999993689", {"moeder"}}},
      .items = {{veilig_thuis, "", "huiselijk-geweld", involvement, regular, "active",
                 "Veilig Thuis betrokken", "", willems, -200},
                {jeugdhulp, "", "opvoeding", deadline, regular, "active",
                 "OTS loopt af: verzoek tot verlenging indienen", "", hendriks, -360, -1},
                {politie, "moeder", "huiselijk-geweld", note, criminal, "done",
                 "Aangifte mishandeling door ex-partner", "", van_dam, -210},
                {wijkteam, "moeder", "netwerk", goal, regular, "active",
                 "Moeder bouwt een steunend netwerk op", "", bakker, -150, 30}},
  });

  return f;
}

std::vector<user_spec> make_users() {
  return {
      {"gm-jansen", wijkteam, "gezinsmanager", "Anouk Jansen",
       "gezinsmanager of 8 families; Gezin V. shows a GGZ item hidden for want of consent"},
      {"gm-bakker", jeugdhulp, "gezinsmanager", "Ruben Bakker",
       "gezinsmanager of Gezin D., Y., R. and L."},
      {"pm-visser", gemeente, "procesmanager", "Karin Visser",
       "oversight of every family, status only"},
      {"ggz-devries", ggz, "professional", "Sanne de Vries",
       "GGZ professional: her own contributions"},
      {"fg-dekker", gemeente, "privacy-officer", "Mark Dekker",
       "audit search, break-the-glass review (Gezin S.), policy"},
      {"beheer", gemeente, "admin", "Beheerder Gemeente Noord", "administration"},
  };
}

}  // namespace

const std::vector<family_spec>& families() {
  static const std::vector<family_spec> all = make_families();
  return all;
}

const std::vector<user_spec>& users() {
  static const std::vector<user_spec> all = make_users();
  return all;
}

const user_spec* find_user(std::string_view user_id) {
  const auto& all = users();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const user_spec& u) { return u.id == user_id; });
  return it == all.end() ? nullptr : &*it;
}

std::string_view organisation_of(std::string_view user_id) {
  const auto* u = find_user(user_id);
  return u == nullptr ? std::string_view() : u->organisation;
}

}  // namespace sluis::demo
