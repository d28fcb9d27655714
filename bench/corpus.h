// The words generated cases are made of, shared by the generator (what is
// written) and the search benchmark (what is asked for), so that every query
// has answers and the mix of common and rare words is known.
#pragma once

#include <array>
#include <string_view>

namespace kansli::bench {

// What cases are about. Drawn with a Zipf-like skew: the first words are in
// many subjects (förskola: ~10 % of all cases), the last in few.
inline constexpr std::array<std::string_view, 96> kTopics = {
    "förskola", "skolskjuts", "äldreboende", "cykelbana", "parkering", "bibliotek",
    "hemtjänst", "detaljplan", "bygglov", "gatubelysning", "busshållplats", "lekplats",
    "simhall", "idrottshall", "fritidsgård", "skolgård", "trafiksäkerhet", "hastighetsgräns",
    "övergångsställe", "snöröjning", "avfallshantering", "återvinningscentral", "vattenledning",
    "dagvatten", "översvämning", "naturreservat", "strandskydd", "badplats", "båtplats",
    "hundrastgård", "offentlig toalett", "konstgräsplan", "ungdomsråd", "pensionärsråd",
    "tillgänglighet", "färdtjänst", "ledsagarservice", "personlig assistans", "LSS-boende",
    "barnomsorg", "modersmålsundervisning", "elevhälsa", "skolmat", "fritidshem", "kulturskola",
    "musikskola", "föreningsbidrag", "näringsliv", "turism", "torghandel", "laddstolpar",
    "solceller", "energieffektivisering", "klimatanpassning", "trädplantering", "parkskötsel",
    "ogräsbekämpning", "bekämpningsmedel", "luftkvalitet", "buller", "trängsel", "pendelparkering",
    "infartsparkering", "kollektivtrafik", "nattbuss", "tunnelbana", "bryggor", "kajer",
    "gångtunnel", "belysning i motionsspår", "utegym", "skateboardpark", "spontanidrott",
    "sexköp", "människohandel", "våld i nära relationer", "hemlöshet", "socialt boende",
    "försörjningsstöd", "missbruksvård", "ensamkommande barn", "familjehem", "kontaktfamilj",
    "fältassistenter", "brottsförebyggande arbete", "kameraövervakning", "ordningsvakter",
    "trygghetsvandring", "valfrihet", "kundval", "upphandling", "digitalisering", "e-tjänster",
    "öppna data", "arkivering", "diarieföring"};

inline constexpr std::array<std::string_view, 40> kPlaces = {
    "Nacka centrum", "Fisksätra", "Saltsjöbaden", "Orminge", "Boo", "Älta", "Sickla",
    "Henriksdal", "Järla", "Finntorp", "Lännersta", "Ektorp", "Björknäs", "Kummelnäs",
    "Skuru", "Duvnäs", "Storängen", "Tollare", "Kvarnholmen", "Danvikstull", "Neglinge",
    "Ropsten", "Gustavsberg", "Velamsund", "Hasseludden", "Dalarö", "Ältasjön", "Järnvägsparken",
    "Värmdövägen", "Skurubron", "Sicklasjön", "Kocktorp", "Bergs gård", "Myrsjö", "Insjön",
    "Rensättra", "Tattby", "Igelboda", "Solsidan", "Erstavik"};

inline constexpr std::array<std::string_view, 32> kFirstNames = {
    "Andreas", "Maria", "Anna", "Erik", "Karin", "Lars", "Eva", "Johan", "Sara", "Peter",
    "Lena", "Mikael", "Kerstin", "Anders", "Ingrid", "Per", "Emma", "Magnus", "Sofia",
    "Fredrik", "Elin", "Jonas", "Ulla", "Mats", "Åsa", "Björn", "Malin", "Hans", "Linnea",
    "Olof", "Helena", "Gustav"};

inline constexpr std::array<std::string_view, 48> kSurnames = {
    "Falk", "Åberg", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson",
    "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson",
    "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström",
    "Olofsson", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg",
    "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg",
    "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson",
    "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson"};

inline constexpr std::array<std::string_view, 8> kParties = {"S", "M", "L", "C", "KD", "V",
                                                             "MP", "SD"};

inline constexpr std::array<std::string_view, 4> kOpenings = {
    "Förslag om", "Angående", "Åtgärder för", "Utredning av"};

}  // namespace kansli::bench
