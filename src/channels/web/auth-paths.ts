// Where the web door's sign-in lives: on their own so the chat's routes can link to sign-in without
// loading the sign-in libraries (openid-client, express-session) when WEB_AUTH is off.
export const CALLBACK_PATH = '/web/callback';
export const LOGIN_PATH = '/web/login';
