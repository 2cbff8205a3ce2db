package shop.chat;

/** Why a limit refused a request: the HTTP status and problem code at the door, and one sentence to show. */
record Refusal(int status, String code, String detail) {
}
