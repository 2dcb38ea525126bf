import { AccountProvider } from '../accounts/account-provider.entity';
import { User } from '../accounts/user.entity';

/** Every entity the data source maps; feature modules add theirs here. */
export const entities = [User, AccountProvider];
