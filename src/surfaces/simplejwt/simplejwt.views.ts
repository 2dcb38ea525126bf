import { DrfView } from '../../dialects/drf/drf-metadata';

/**
 * SimpleJWT's views as DRF's OPTIONS names them (class name and docstring, as
 * `rest_framework_simplejwt/views.py` 5.x has them); djoser mounts the same views.
 */
export const TokenObtainPairView = () =>
  DrfView(
    'TokenObtainPairView',
    'Takes a set of user credentials and returns an access and refresh JSON web\n' +
      'token pair to prove the authentication of those credentials.',
  );

export const TokenRefreshView = () =>
  DrfView(
    'TokenRefreshView',
    'Takes a refresh type JSON web token and returns an access type JSON web\n' +
      'token if the refresh token is valid.',
  );

export const TokenVerifyView = () =>
  DrfView(
    'TokenVerifyView',
    'Takes a token and indicates if it is valid.  This view provides no\n' +
      "information about a token's fitness for a particular use.",
  );
